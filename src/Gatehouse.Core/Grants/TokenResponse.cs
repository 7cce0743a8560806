using System.Text.Json.Serialization;

namespace Gatehouse.Core.Grants;

/// <summary>The token endpoint's 200 body (absent members are omitted).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("id_token")] string? IdToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("expires_in")] int ExpiresIn)
{
    [JsonPropertyName("token_type")]
    public string TokenType => "Bearer";
}

/// <summary>Either tokens or an error; the edge writes one or the other.</summary>
public sealed record TokenOutcome(TokenResponse? Response, OAuthError? Error)
{
    /// <summary>The audit event the request wrote, when it got far enough to write one.</summary>
    public string? LogId { get; init; }

    public static TokenOutcome Fail(OAuthError error) => new(null, error);
}

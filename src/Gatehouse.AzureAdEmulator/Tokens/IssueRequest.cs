using Gatehouse.AzureAd.Emulator.Model;

namespace Gatehouse.AzureAd.Emulator.Tokens;

/// <summary>Everything that decides the content of the tokens of one successful sign-in.</summary>
internal sealed record IssueRequest
{
    public required DirectorySnapshot Directory { get; init; }
    public required User User { get; init; }
    public required App Client { get; init; }
    public required Resource Resource { get; init; }
    /// <summary>The <c>aud</c> of the access token.</summary>
    public required string Audience { get; init; }
    /// <summary>Delegated scopes granted on the resource (the <c>scp</c> claim).</summary>
    public required IReadOnlyList<string> Scopes { get; init; }
    /// <summary>"1.0" or "2.0": the token endpoint used (decides the id_token format).</summary>
    public required string EndpointVersion { get; init; }
    public required bool IncludeIdToken { get; init; }
    public required bool EmailScope { get; init; }
    /// <summary>The client proved itself with a secret (appidacr/azpacr 1, else 0).</summary>
    public required bool ClientAuthenticated { get; init; }
    /// <summary>scheme://host:port/ of the request; the v2 issuer is {BaseUrl}{tid}/v2.0.</summary>
    public required string BaseUrl { get; init; }
    public string? IpAddress { get; init; }
    public TokenTampering? Tampering { get; init; }
    /// <summary>Authentication methods (amr): pwd, plus mfa after the interactive MFA step.</summary>
    public IReadOnlyList<string> Amr { get; init; } = ["pwd"];
    /// <summary>The authorize request's nonce, copied into the id_token.</summary>
    public string? Nonce { get; init; }
}

/// <summary>Deliberate token defects injected by faults (reference §11.4).</summary>
internal sealed record TokenTampering(bool Unsigned, bool WrongIssuer, bool WrongAudience, bool WrongTenant, bool Expired);

/// <summary>Tokens as issued, with their validity window (epoch seconds).</summary>
internal sealed record IssuedTokens(string AccessToken, string? IdToken, long IssuedAt, long ExpiresAt);

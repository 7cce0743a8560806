namespace Gatehouse.Core.Grants;

/// <summary>An Authentication API error as a value: mapped to <c>{error, error_description}</c> with Status at the edge.</summary>
public sealed record OAuthError(int Status, string Error, string Description)
{
    public const string WrongCredentialsDescription = "Wrong email or password.";

    /// <summary>Sent as <c>Retry-After</c> (seconds) when set: outages and throttling tell clients when to come back.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>
    /// Members sent beside error and error_description (Auth0's <c>mfa_token</c> on <c>mfa_required</c>). They may be
    /// secrets: the audit log and the server log take Error and Description only.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Extra { get; init; }

    /// <summary>An upstream identity provider is down or throttling: 503 so clients retry rather than re-prompt the user.</summary>
    public static OAuthError TemporarilyUnavailable(TimeSpan? retryAfter) =>
        new(503, "temporarily_unavailable", "The identity provider is temporarily unavailable. Please try again later.")
        {
            RetryAfterSeconds = retryAfter is { } wait ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : null,
        };

    public static OAuthError InvalidRequest(string description) => new(400, "invalid_request", description);

    public static OAuthError MissingParameter(string name) => InvalidRequest($"Missing required parameter: {name}");

    public static OAuthError UnsupportedGrantType(string grantType) =>
        new(400, "unsupported_grant_type", $"Unsupported grant type: {grantType}");

    public static OAuthError InvalidClient() => new(401, "invalid_client", "Client authentication failed.");

    public static OAuthError UnauthorizedClient(string grantType) =>
        new(403, "unauthorized_client", $"Grant type '{grantType}' not allowed for the client.");

    public static OAuthError WrongCredentials() => new(403, "invalid_grant", WrongCredentialsDescription);

    public static OAuthError AccessDenied(string description) => new(403, "access_denied", description);

    public static OAuthError InvalidRefreshToken() => new(403, "invalid_grant", "Unknown or invalid refresh token.");

    public static OAuthError ConnectionNotFound() => InvalidRequest("the connection was not found");

    public static OAuthError ConnectionDisabled() => InvalidRequest("the connection was disabled");
}

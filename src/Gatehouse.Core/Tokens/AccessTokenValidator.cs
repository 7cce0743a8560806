using Gatehouse.Core.Tenancy;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Core.Tokens;

/// <summary>A valid access token of ours: who it is for and what it allows.</summary>
public sealed record ValidatedAccessToken(string Subject, string? ClientId, IReadOnlyList<string> Audiences, IReadOnlySet<string> Scopes)
{
    /// <summary>The iat claim (whole seconds), when the token carries one.</summary>
    public DateTimeOffset? IssuedAt { get; init; }
}

/// <summary>Either a validated token or why it was refused (for 401 bodies).</summary>
public sealed record AccessTokenCheck(ValidatedAccessToken? Token, string? Error)
{
    public static AccessTokenCheck Invalid(string error) => new(null, error);
}

/// <summary>
/// Checks access tokens we issued (Management API, /userinfo): RS256, signed by a published key named by its kid
/// (header keys such as jku, x5u and jwk are never used), our issuer, not expired, not before its nbf, carrying the
/// expected audience and the client it was issued to (azp, which id_tokens lack). Keys come from the cached ring; nothing is loaded per request.
/// </summary>
public sealed class AccessTokenValidator(SigningKeyService keys, TenantIssuer issuer, TimeProvider time)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<AccessTokenCheck> ValidateAsync(string? token, string audience, CancellationToken ct)
    {
        var (jwt, error) = await CheckSignedAsync(token, ct);
        if (jwt is null)
            return AccessTokenCheck.Invalid(error!);
        if (!jwt.TryGetPayloadValue<string>("azp", out var azp) || string.IsNullOrEmpty(azp))
            return AccessTokenCheck.Invalid("Invalid token"); // every access token we issue names its client; an id_token does not

        var audiences = jwt.Audiences.ToList();
        if (!audiences.Contains(audience))
            return AccessTokenCheck.Invalid($"Bad audience: {string.Join(' ', audiences)}");
        jwt.TryGetPayloadValue<string>("scope", out var scope);
        var scopes = (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new AccessTokenCheck(new ValidatedAccessToken(jwt.Subject, azp, audiences, scopes)
        {
            IssuedAt = UnixTime.TryGetNumericDate(jwt, "iat", out var iat) ? iat : null,
        }, null);
    }

    /// <summary>
    /// The subject of an id_token we issued to <paramref name="clientId"/> (account linking's <c>link_with</c>): the
    /// same signature, issuer and time checks, its audience exactly that client, and no azp (an access token is no
    /// id_token). Null with the reason otherwise.
    /// </summary>
    public async Task<(string? Subject, string? Error)> ValidateIdTokenAsync(string? token, string clientId, CancellationToken ct)
    {
        var (jwt, error) = await CheckSignedAsync(token, ct);
        if (jwt is null)
            return (null, error);
        if (jwt.TryGetPayloadValue<string>("azp", out _) || !jwt.Audiences.SequenceEqual([clientId]) || string.IsNullOrEmpty(jwt.Subject))
            return (null, "Invalid token");
        return (jwt.Subject, null);
    }

    /// <summary>Signature by a published key, our issuer, RS256, exp and nbf against TimeProvider.</summary>
    private async Task<(JsonWebToken? Token, string? Error)> CheckSignedAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 16 * 1024)
            return (null, "Invalid token");
        var ring = await keys.GetRingAsync(ct);
        var now = time.GetUtcNow();
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            ValidateAudience = false, // checked below for Auth0's "Bad audience" message
            ValidateLifetime = false, // checked below against TimeProvider
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            IssuerSigningKeys = ring.PublishedAt(now).Select(k => (SecurityKey)k.SecurityKey).ToList(),
            TryAllIssuerSigningKeys = false,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
            return (null, result.Exception is SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException
                ? "Invalid signature received for JSON Web Token validation"
                : "Invalid token");
        if (!UnixTime.TryGetNumericDate(jwt, "exp", out var exp))
            return (null, "Invalid token");
        if (exp + ClockSkew <= now)
            return (null, "Expired token received for JSON Web Token validation"); // Auth0's words
        if (jwt.TryGetClaim("nbf", out _) && (!UnixTime.TryGetNumericDate(jwt, "nbf", out var nbf) || nbf - ClockSkew > now))
            return (null, "Invalid token");
        return (jwt, null);
    }
}

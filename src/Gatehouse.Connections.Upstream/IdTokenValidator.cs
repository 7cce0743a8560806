using Gatehouse.Core.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Connections.Upstream;

/// <summary>
/// Checks an id_token against <see cref="IdTokenRules"/> (OpenID Connect Core 1.0 §3.1.3.7), in this order:
/// <list type="bullet">
/// <item>a JWS, not a JWE; signed with an asymmetric algorithm by a key of <see cref="IdTokenRules.KeysUrl"/> (an
/// unknown kid refreshes the set, within <see cref="OidcMetadataCache.UnknownKidRefreshFloor"/>); HS* refused;
/// <c>alg none</c> only where <see cref="IdTokenRules.UnsignedRefusal"/> is null;</item>
/// <item>the <see cref="IssuerRule"/>; exactly one audience, the client_id; <c>exp</c> and <c>nbf</c> within the skew;
/// the nonce, when one was sent.</item>
/// </list>
/// Any failure is an <see cref="IdTokenRejectedException"/>; a key-set fetch that fails is the cache's own exception.
/// Works the same for a token from a password grant, a code redemption, or a refresh.
/// </summary>
public sealed class IdTokenValidator(OidcMetadataCache metadata, TimeProvider time)
{
    public static readonly IReadOnlySet<string> AsymmetricAlgorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<JsonWebToken> ValidateAsync(string? idToken, IdTokenRules rules, UpstreamCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (string.IsNullOrEmpty(idToken))
            throw new IdTokenRejectedException("no id_token in the token response");

        var token = Parse(idToken);
        var alg = token.Alg ?? "";
        if (alg == "none")
        {
            if (rules.UnsignedRefusal is { } why)
                throw new IdTokenRejectedException("unsigned (alg none) id_token refused: " + why);
            if (!string.IsNullOrEmpty(token.EncodedSignature))
                throw new IdTokenRejectedException("alg none id_token carries a signature");
        }
        else if (!AsymmetricAlgorithms.Contains(alg))
        {
            throw new IdTokenRejectedException($"id_token algorithm '{alg}' refused");
        }
        else
        {
            await VerifySignatureAsync(token, rules.KeysUrl, call, ct);
        }

        CheckClaims(token, rules);
        return token;
    }

    /// <summary>
    /// The id_token as a signed JWT, or a refusal. A fuzz target calls this too, so what it counts as a crash is
    /// exactly what would escape a login.
    /// </summary>
    public static JsonWebToken Parse(string idToken)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(idToken);
        }
        // FormatException: five parts make a JWE to the library, which does not wrap a part that is not base64url.
        catch (Exception e) when (e is ArgumentException or FormatException or SecurityTokenMalformedException)
        {
            throw new IdTokenRejectedException("id_token is not a JWT");
        }

        // An encrypted id_token (JWE) was never asked for.
        return token.IsEncrypted ? throw new IdTokenRejectedException("id_token is encrypted (JWE), not a signed JWT") : token;
    }

    private async Task VerifySignatureAsync(JsonWebToken token, Uri keysUrl, UpstreamCall call, CancellationToken ct)
    {
        var keys = Matching(await metadata.GetKeysAsync(keysUrl, null, call, ct), token.Kid);
        if (keys.Count == 0)
            keys = Matching(await metadata.GetKeysAsync(keysUrl, token.Kid ?? "", call, ct), token.Kid); // key rotation
        if (keys.Count == 0)
            throw new IdTokenRejectedException($"id_token signed with unknown key kid={token.Kid}");

        // The token parsed above, not the raw string: the handler would parse it a second time.
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = AsymmetricAlgorithms,
            RequireSignedTokens = true,
            ValidateIssuer = false,    // the issuer rule, below
            ValidateAudience = false,  // below
            ValidateLifetime = false,  // below, with the injected clock
            ValidateIssuerSigningKey = false,
            TryAllIssuerSigningKeys = false,
        });
        if (!result.IsValid)
            throw new IdTokenRejectedException("id_token signature is invalid (" + result.Exception?.GetType().Name + ")");
    }

    private static List<SecurityKey> Matching(IReadOnlyList<SecurityKey> keys, string? kid) =>
        string.IsNullOrEmpty(kid) ? [.. keys] : [.. keys.Where(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal))];

    private void CheckClaims(JsonWebToken token, IdTokenRules rules)
    {
        if (rules.Issuer.Problem(token) is { } issuerProblem)
            throw new IdTokenRejectedException(issuerProblem);

        var audiences = token.Audiences.ToList();
        if (audiences.Count != 1 || !string.Equals(audiences[0], rules.Audience, StringComparison.Ordinal))
            throw new IdTokenRejectedException($"id_token audience '{string.Join(",", audiences)}' is not the connection's client_id");

        var now = time.GetUtcNow();
        if (!UnixTime.TryGetNumericDate(token, "exp", out var exp))
            throw new IdTokenRejectedException("id_token has no expiry");
        if (exp + rules.ClockSkew < now)
            throw new IdTokenRejectedException("id_token expired");
        if (token.TryGetClaim("nbf", out _) && (!UnixTime.TryGetNumericDate(token, "nbf", out var nbf) || nbf - rules.ClockSkew > now))
            throw new IdTokenRejectedException("id_token not valid yet (nbf)");

        if (rules.Nonce is { } nonce
            && !(token.TryGetPayloadValue<object>("nonce", out var sent) && sent is string text && string.Equals(text, nonce, StringComparison.Ordinal)))
            throw new IdTokenRejectedException("id_token nonce is not the one sent");
    }
}

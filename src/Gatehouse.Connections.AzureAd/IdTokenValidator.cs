using Gatehouse.Core.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Connections.AzureAd;

/// <summary>The claims of an id_token that passed every check.</summary>
internal sealed record ValidatedIdToken(JsonWebToken Token, Guid TenantId, string ObjectId)
{
    public string? Claim(string name) =>
        Token.TryGetPayloadValue<object>(name, out var v) && v is not null ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    public IReadOnlyList<string> Roles() =>
        Token.TryGetPayloadValue<List<string>>("roles", out var list) && list is not null ? list
        : Token.TryGetPayloadValue<string>("roles", out var one) && one is not null ? [one] : [];
}

/// <summary>
/// Checks the id_token of a password grant (docs/waad.md, Token checks; OpenID Connect Core 1.0 §3.1.3.7):
/// <list type="bullet">
/// <item>v2: signed with an asymmetric algorithm by a key from the tenant's key set (unknown kid → one refresh);
/// <c>none</c> and HS* are refused.</item>
/// <item>v1: Azure returns it unsigned. It is accepted only because it came straight from the configured authority over
/// HTTPS (OIDC Core §3.1.3.7); over plain http an unsigned token is always refused. A signed v1 token is verified.</item>
/// <item><c>iss</c> equals the tenant's discovery issuer, <c>tid</c> is that tenant, <c>aud</c> is the connection's
/// client_id, <c>exp</c>/<c>nbf</c> hold with 5 minutes of skew, and <c>oid</c> is present.</item>
/// <item>With the common endpoint, <c>tid</c> is one of the connection's allowed tenants, if it names any (verified
/// domains are resolved to their tenant id through discovery, cached like any discovery document).</item>
/// </list>
/// Any failure is a refusal (<see cref="WaadRefusals.InvalidToken"/>, <see cref="WaadRefusals.TenantNotAllowed"/>), not an outage.
/// </summary>
internal sealed class IdTokenValidator(AzureMetadataCache metadata, TimeProvider time)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static readonly HashSet<string> AsymmetricAlgorithms = new(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<ValidatedIdToken> ValidateAsync(string? idToken, WaadOptions o, TenantIssuer issuer, string correlationId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(idToken))
        {
            throw Refuse("no id_token in the token response");
        }

        var token = Parse(idToken);
        var alg = token.Alg ?? "";
        if (alg == "none")
        {
            if (o.IdentityApi != WaadIdentityApi.V1)
            {
                throw Refuse("unsigned (alg none) id_token refused on the v2 endpoint");
            }

            if (o.AuthorityUrl.Scheme != Uri.UriSchemeHttps)
            {
                throw Refuse("unsigned (alg none) id_token refused: the authority is not HTTPS");
            }

            if (!string.IsNullOrEmpty(token.EncodedSignature))
            {
                throw Refuse("alg none id_token carries a signature");
            }
        }
        else if (!AsymmetricAlgorithms.Contains(alg))
        {
            throw Refuse($"id_token algorithm '{alg}' refused");
        }
        else
        {
            await VerifySignatureAsync(token, o, correlationId, ct);
        }

        var validated = CheckClaims(token, o, issuer);
        await EnsureTenantAllowedAsync(validated.TenantId, o, correlationId, ct);
        return validated;
    }

    private async Task EnsureTenantAllowedAsync(Guid tid, WaadOptions o, string correlationId, CancellationToken ct)
    {
        var allowed = o.AllowedTenants;
        if (!o.UseCommonEndpoint || allowed.IsEmpty || allowed.TenantIds.Contains(tid))
        {
            return;
        }

        var unresolved = new List<string>();
        foreach (var domain in allowed.Domains)
        {
            try
            {
                var resolved = await metadata.GetIssuerAsync(o with { TenantPath = domain, PinnedTenantId = null }, correlationId, ct);
                if (resolved.TenantId == tid)
                {
                    return;
                }
            }
            catch (WaadRefusalException)
            {
                unresolved.Add(domain); // Azure does not know the domain: it lets nobody in, and the audit detail says so
            }
        }

        throw new WaadRefusalException(WaadRefusals.TenantNotAllowed(tid, unresolved));
    }

    /// <summary>
    /// The id_token as a signed JWT, or a refusal. The fuzz target <c>upstream-token</c> calls this too, so what it
    /// counts as a crash is exactly what would escape a login.
    /// </summary>
    internal static JsonWebToken Parse(string idToken)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(idToken);
        }
        // FormatException: five parts make a JWE to the library, which does not wrap a part that is not base64url.
        catch (Exception e) when (e is ArgumentException or FormatException or SecurityTokenMalformedException)
        {
            throw Refuse("id_token is not a JWT");
        }

        // Azure AD signs id_tokens; an encrypted one (JWE) was never asked for.
        return token.IsEncrypted ? throw Refuse("id_token is encrypted (JWE), not a signed JWT") : token;
    }

    private async Task VerifySignatureAsync(JsonWebToken token, WaadOptions o, string correlationId, CancellationToken ct)
    {
        var keys = Matching(await metadata.GetKeysAsync(o, null, correlationId, ct), token.Kid);
        if (keys.Count == 0)
        {
            // Key rotation: the token names a key we have not seen. Refetch once.
            keys = Matching(await metadata.GetKeysAsync(o, token.Kid ?? "", correlationId, ct), token.Kid);
        }

        if (keys.Count == 0)
        {
            throw Refuse($"id_token signed with unknown key kid={token.Kid}");
        }

        // The token parsed above, not the raw string: the handler would parse it a second time.
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = AsymmetricAlgorithms,
            RequireSignedTokens = true,
            ValidateIssuer = false,    // checked below against discovery, with the tenant rules
            ValidateAudience = false,  // checked below
            ValidateLifetime = false,  // checked below with the injected clock
            ValidateIssuerSigningKey = false,
            TryAllIssuerSigningKeys = false,
        });
        if (!result.IsValid)
        {
            throw Refuse("id_token signature is invalid (" + result.Exception?.GetType().Name + ")");
        }
    }

    private static List<SecurityKey> Matching(IReadOnlyList<SecurityKey> keys, string? kid) =>
        string.IsNullOrEmpty(kid) ? [.. keys] : [.. keys.Where(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal))];

    private ValidatedIdToken CheckClaims(JsonWebToken token, WaadOptions o, TenantIssuer issuer)
    {
        if (!token.TryGetPayloadValue<object>("tid", out var tidValue) || tidValue is not string tidText || !Guid.TryParse(tidText, out var tid))
        {
            throw Refuse("id_token has no tenant id (tid)");
        }

        var expectedTenant = issuer.TenantId ?? o.PinnedTenantId;
        if (expectedTenant is { } expected && expected != tid)
        {
            throw Refuse($"id_token is for tenant {tid}, the connection's tenant is {expected}");
        }

        var expectedIssuer = issuer.IssuerTemplate.Replace("{tenantid}", tid.ToString(), StringComparison.Ordinal);
        if (!string.Equals(token.Issuer, expectedIssuer, StringComparison.Ordinal))
        {
            throw Refuse($"id_token issuer '{token.Issuer}' is not '{expectedIssuer}'");
        }

        var audiences = token.Audiences.ToList();
        if (audiences.Count != 1 || !string.Equals(audiences[0], o.ClientId, StringComparison.Ordinal))
        {
            throw Refuse($"id_token audience '{string.Join(",", audiences)}' is not the connection's client_id");
        }

        var now = time.GetUtcNow();
        if (!UnixTime.TryGetNumericDate(token, "exp", out var exp))
        {
            throw Refuse("id_token has no expiry");
        }

        if (exp + ClockSkew < now)
        {
            throw Refuse("id_token expired");
        }

        if (token.TryGetClaim("nbf", out _) && (!UnixTime.TryGetNumericDate(token, "nbf", out var nbf) || nbf - ClockSkew > now))
        {
            throw Refuse("id_token not valid yet (nbf)");
        }

        if (!token.TryGetPayloadValue<object>("oid", out var oidValue) || oidValue is not string oid || string.IsNullOrWhiteSpace(oid))
        {
            throw Refuse("id_token has no object id (oid)");
        }

        if (o.UserIdAttribute == WaadUserIdAttribute.Sub && (!token.TryGetPayloadValue<string>("sub", out var sub) || string.IsNullOrWhiteSpace(sub)))
        {
            throw Refuse("id_token has no subject (sub)");
        }

        return new ValidatedIdToken(token, tid, oid);
    }

    private static WaadRefusalException Refuse(string detail) => new(WaadRefusals.InvalidToken(detail));
}

using Microsoft.IdentityModel.JsonWebTokens;

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
/// Azure AD's id_token rules as one configuration of the toolkit's <see cref="IdTokenValidator"/> (docs/waad.md,
/// Token checks), for a password grant's token and for one redeemed from an authorization code alike:
/// <list type="bullet">
/// <item>v2: signed by a key of the tenant's key set. v1: Azure returns it unsigned; it is accepted only because it came
/// straight from the configured authority over HTTPS (OIDC Core §3.1.3.7); over plain http an unsigned token is always
/// refused. A signed v1 token is verified.</item>
/// <item>the issuer is the tenant's discovery issuer with the token's own <c>tid</c> in place of <c>{tenantid}</c>;
/// <c>tid</c> is a GUID and the connection's tenant when it has one; <c>aud</c> is the client_id; 5 minutes of skew;
/// <c>oid</c> is present (and <c>sub</c>, when it is the user id).</item>
/// <item>With the common endpoint, <c>tid</c> is one of the connection's allowed tenants, if it names any (verified
/// domains are resolved to their tenant id through discovery, cached like any discovery document).</item>
/// </list>
/// Any failure is a refusal (<see cref="WaadRefusals.InvalidToken"/>, <see cref="WaadRefusals.TenantNotAllowed"/>), not an outage.
/// </summary>
internal sealed class AzureIdTokenChecks(IdTokenValidator validator, AzureTenantMetadata metadata)
{
    /// <param name="rules">From <see cref="Rules"/> for these options and issuer (a connection keeps them between logins).</param>
    public async Task<ValidatedIdToken> ValidateAsync(string? idToken, WaadOptions o, IdTokenRules rules, string correlationId, CancellationToken ct)
    {
        JsonWebToken token;
        try
        {
            token = await validator.ValidateAsync(idToken, rules, AzureTenantMetadata.Call(o, correlationId), ct);
        }
        catch (IdTokenRejectedException e)
        {
            throw Refuse(e.Detail);
        }

        var validated = CheckAzureClaims(token, o);
        await EnsureTenantAllowedAsync(validated.TenantId, o, correlationId, ct);
        return validated;
    }

    /// <summary>The toolkit rules of a connection with this discovery issuer; <paramref name="nonce"/> for a browser sign-in.</summary>
    public static IdTokenRules Rules(WaadOptions o, TenantIssuer issuer, string? nonce = null)
    {
        var expectedTenant = issuer.TenantId ?? o.PinnedTenantId;
        return new IdTokenRules
        {
            Issuer = IssuerRule.Template(issuer.IssuerTemplate, "{tenantid}", "tid", tid =>
                tid is null || !Guid.TryParse(tid, out var id) ? "id_token has no tenant id (tid)"
                : expectedTenant is { } expected && expected != id ? $"id_token is for tenant {id}, the connection's tenant is {expected}"
                : null),
            Audience = o.ClientId,
            KeysUrl = AzureTenantMetadata.KeysUrl(o),
            Nonce = nonce,
            UnsignedRefusal = o.IdentityApi != WaadIdentityApi.V1 ? "the v2 endpoint signs its tokens"
                : o.AuthorityUrl.Scheme != Uri.UriSchemeHttps ? "the authority is not HTTPS"
                : null,
        };
    }

    /// <summary>The id_token as a JWT, or a refusal (what a fuzz target reads before any check).</summary>
    internal static JsonWebToken Parse(string idToken)
    {
        try
        {
            return IdTokenValidator.Parse(idToken);
        }
        catch (IdTokenRejectedException e)
        {
            throw Refuse(e.Detail);
        }
    }

    private static ValidatedIdToken CheckAzureClaims(JsonWebToken token, WaadOptions o)
    {
        // The issuer rule accepted tid as a GUID already.
        var tid = token.TryGetPayloadValue<object>("tid", out var tidValue) && tidValue is string tidText && Guid.TryParse(tidText, out var g)
            ? g : throw Refuse("id_token has no tenant id (tid)");
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

    private static WaadRefusalException Refuse(string detail) => new(WaadRefusals.InvalidToken(detail));
}

using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;

namespace Gatehouse.Core.Grants;

/// <summary>The audience a token is for: a registered API, or (Api null) /userinfo only.</summary>
public sealed record ResolvedAudience(string Identifier, ResourceServer? Api);

/// <summary>
/// <c>audience</c> (or the tenant's default_audience) → a resource server: the Management API (a system resource
/// server) or a registered API. No audience at all means a token good only at /userinfo.
/// </summary>
public sealed class AudienceResolver(ConfigCache config, TenantIssuer issuer)
{
    public async Task<(ResolvedAudience? Audience, OAuthError? Error)> ResolveAsync(string? requested, TenantSettings tenant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var identifier = requested ?? (string.IsNullOrEmpty(tenant.DefaultAudience) ? null : tenant.DefaultAudience);
        if (identifier is null || identifier == issuer.UserinfoAudience)
            return (new ResolvedAudience(issuer.UserinfoAudience, null), null);
        var api = identifier.Length <= 600 ? await config.GetResourceServerByIdentifierAsync(identifier, ct) : null;
        return api is null
            ? (null, OAuthError.AccessDenied($"Service not found: {identifier}"))
            : (new ResolvedAudience(api.Identifier, api), null);
    }
}

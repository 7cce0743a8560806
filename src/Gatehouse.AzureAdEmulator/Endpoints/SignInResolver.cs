using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Model;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>Resolves the tenant, client, resource and user a token request names, without judging.</summary>
internal static class SignInResolver
{
    public static void Resolve(SignInContext c, Tokens.RefreshTokens refreshTokens)
    {
        var r = c.Request;
        if (c.IsRefresh) ResolveRefresh(c, refreshTokens);
        ResolveTenant(c);
        if (c.Tenant is null) return;
        var client = c.Directory.FindApp(r.ClientId!);
        if (client is not null && (string.Equals(client.Seed.TenantId, c.Tenant.Id, StringComparison.OrdinalIgnoreCase)
            || client.Seed.SignInAudience == SignInAudiences.MultipleOrgs)) c.Client = client;
        if (r.IsV1) ResolveV1Resource(c); else ResolveV2Resource(c);
        if (!c.IsRefresh)
        {
            var user = c.Directory.FindUserByUpn(r.Username!);
            if (user is not null && user.Tenant == c.Tenant) c.User = user;
        }
    }

    private static void ResolveRefresh(SignInContext c, Tokens.RefreshTokens refreshTokens)
    {
        var grant = refreshTokens.Read(c.Request.RefreshToken!);
        if (grant is null) c.RefreshError = Aadsts.MalformedRefreshToken();
        else if (grant.ExpiresAt <= c.Now.ToUnixTimeSeconds()) c.RefreshError = Aadsts.RefreshTokenExpired();
        else if (!string.Equals(grant.ClientId, c.Request.ClientId, StringComparison.OrdinalIgnoreCase)) c.RefreshError = Aadsts.RefreshTokenClientMismatch();
        else
        {
            c.Refresh = grant;
            c.User = c.Directory.FindUserById(grant.UserId);
        }
    }

    private static void ResolveTenant(SignInContext c)
    {
        var segment = c.Request.TenantSegment;
        var isCommon = segment.Equals("common", StringComparison.OrdinalIgnoreCase);
        var isOrganizations = segment.Equals("organizations", StringComparison.OrdinalIgnoreCase);
        var isConsumers = segment.Equals("consumers", StringComparison.OrdinalIgnoreCase);
        if (!c.Request.IsV1 && !c.IsRefresh && (isCommon || isConsumers))
        {
            c.TenantError = Aadsts.CommonNotSupported();
            return;
        }
        if (isCommon || isOrganizations)
        {
            // v1 /common and /organizations: the tenant comes from the UPN's domain or the refresh token.
            var key = c.Refresh?.TenantId ?? DomainOf(c.Request.Username);
            c.Tenant = key is null ? null : c.Directory.FindTenant(key);
            if (c.Tenant is null) c.TenantError = c.IsRefresh ? Aadsts.MalformedRefreshToken() : Aadsts.NoTenantInfo();
            return;
        }
        c.Tenant = c.Directory.FindTenant(segment);
        if (c.Tenant is null) c.TenantError = Aadsts.TenantNotFound(segment);
        else if (c.Refresh is not null && c.Refresh.TenantId != c.Tenant.Id)
        {
            c.Refresh = null;
            c.User = null;
            c.RefreshError = Aadsts.MalformedRefreshToken();
        }
    }

    private static void ResolveV1Resource(SignInContext c)
    {
        // A refresh without resource= stays on the resource it was issued for.
        var requested = c.Request.Resource
            ?? (c.Refresh is null ? null : c.Directory.FindResource(c.Refresh.ResourceAppId)?.PrimaryUri ?? c.Refresh.ResourceAppId);
        if (requested is null) return; // the parameter check already refused a password grant without it
        c.Resource = FindInTenant(c, requested);
        c.Audience = requested;
        if (c.Resource is null) c.ResourceError = Aadsts.ResourceNotFound(requested, c.Tenant!.DefaultDomain);
    }

    private static void ResolveV2Resource(SignInContext c)
    {
        string? prefix = null;
        foreach (var item in (c.Request.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (WellKnownResources.OidcScopes.Contains(item))
            {
                c.OidcScopes.Add(item);
                continue;
            }
            var slash = item.LastIndexOf('/');
            var (resourceId, name) = slash > 0 ? (item[..slash], item[(slash + 1)..]) : (WellKnownResources.MicrosoftGraphUri, item);
            var resource = FindInTenant(c, resourceId);
            if (resource is null)
            {
                c.ResourceError = Aadsts.ResourceNotFound(resourceId, c.Tenant!.DefaultDomain);
                return;
            }
            if (c.Resource is not null && c.Resource != resource)
            {
                c.ResourceError = Aadsts.MultipleResources(c.Request.Scope!);
                return;
            }
            c.Resource = resource;
            prefix ??= resourceId;
            if (name != ".default") c.ExplicitScopes.Add(name);
        }
        if (c.Resource is null && c.Refresh is not null) c.Resource = FindInTenant(c, c.Refresh.ResourceAppId);
        c.Resource ??= Resource.MicrosoftGraph;
        c.Audience = c.Resource switch
        {
            { TokenVersion: 2 } => c.Resource.AppId,
            { IsMicrosoftGraph: true } => WellKnownResources.MicrosoftGraphAppId,
            _ => prefix ?? c.Resource.PrimaryUri,
        };
    }

    private static Resource? FindInTenant(SignInContext c, string identifier)
    {
        var resource = c.Directory.FindResource(identifier);
        return resource is not null && (resource.TenantId is null || resource.TenantId == c.Tenant!.Id) ? resource : null;
    }

    private static string? DomainOf(string? upn)
    {
        var at = upn?.LastIndexOf('@') ?? -1;
        return at > 0 ? upn![(at + 1)..] : null;
    }
}

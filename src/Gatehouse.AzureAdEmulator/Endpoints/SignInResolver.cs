using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Interactive;
using Gatehouse.AzureAd.Emulator.Model;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>Resolves the tenant, client, resource and user a token request names, without judging.</summary>
internal static class SignInResolver
{
    public static void Resolve(SignInContext c, Tokens.RefreshTokens refreshTokens, InteractiveState interactive)
    {
        var r = c.Request;
        if (c.IsRefresh) ResolveRefresh(c, refreshTokens);
        if (c.IsCode) ResolveCode(c, interactive);
        ResolveTenant(c);
        if (c.Tenant is null) return;
        var client = c.Directory.FindApp(r.ClientId!);
        if (client is not null && (string.Equals(client.Seed.TenantId, c.Tenant.Id, StringComparison.OrdinalIgnoreCase)
            || client.Seed.SignInAudience == SignInAudiences.MultipleOrgs)) c.Client = client;
        if (r.IsV1) ResolveV1Resource(c); else ResolveV2Resource(c);
        if (!c.IsRefresh && !c.IsCode)
        {
            var user = c.Directory.FindUserByUpn(r.Username!);
            if (user is not null && user.Tenant == c.Tenant) c.User = user;
        }
        if (c is { User: { } u, Client: { } app, Resource: { } resource })
            c.UserConsent = interactive.ConsentOf(u.Id, app.AppId, resource.AppId);
    }

    /// <summary>The code must be live, unredeemed, this client's, for this redirect_uri, and match the PKCE verifier.</summary>
    private static void ResolveCode(SignInContext c, InteractiveState interactive)
    {
        var r = c.Request;
        var entry = interactive.FindCode(r.Code!);
        if (entry is null)
        {
            c.GrantError = Aadsts.MalformedRefreshToken();
            return;
        }
        var g = entry.Grant;
        if (Volatile.Read(ref entry.Redeemed) != 0) c.GrantError = Aadsts.CodeRedeemed();
        else if (g.ExpiresAt <= c.Now) c.GrantError = Aadsts.CodeExpired();
        else if (!string.Equals(g.ClientId, r.ClientId, StringComparison.OrdinalIgnoreCase)) c.GrantError = Aadsts.RefreshTokenClientMismatch();
        else if (!string.Equals(g.RedirectUri, r.RedirectUri, StringComparison.Ordinal)) c.GrantError = Aadsts.RedirectUriMismatch(r.RedirectUri!, g.RedirectUri);
        else if (!Pkce.Verify(g.CodeChallenge, g.CodeChallengeMethod, r.CodeVerifier)) c.GrantError = Aadsts.CodeVerifierMismatch();
        else
        {
            c.Code = entry;
            c.User = c.Directory.FindUserById(g.UserId);
        }
    }

    private static void ResolveRefresh(SignInContext c, Tokens.RefreshTokens refreshTokens)
    {
        var grant = refreshTokens.Read(c.Request.RefreshToken!);
        if (grant is null) c.GrantError = Aadsts.MalformedRefreshToken();
        else if (grant.ExpiresAt <= c.Now.ToUnixTimeSeconds()) c.GrantError = Aadsts.RefreshTokenExpired();
        else if (!string.Equals(grant.ClientId, c.Request.ClientId, StringComparison.OrdinalIgnoreCase)) c.GrantError = Aadsts.RefreshTokenClientMismatch();
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
        if (!c.Request.IsV1 && !c.IsRefresh && !c.IsCode && (isConsumers || (isCommon && !c.Interactive)))
        {
            c.TenantError = Aadsts.CommonNotSupported();
            return;
        }
        if (isCommon || isOrganizations)
        {
            // v1 /common and /organizations: the tenant comes from the UPN's domain or the refresh token.
            var key = c.Refresh?.TenantId ?? c.Code?.Grant.TenantId ?? DomainOf(c.Request.Username);
            c.Tenant = key is null ? null : c.Directory.FindTenant(key);
            if (c.Tenant is null) c.TenantError = c.IsRefresh || c.IsCode ? Aadsts.MalformedRefreshToken() : Aadsts.NoTenantInfo();
            return;
        }
        c.Tenant = c.Directory.FindTenant(segment);
        if (c.Tenant is null) c.TenantError = Aadsts.TenantNotFound(segment);
        else if (c.Refresh is not null && c.Refresh.TenantId != c.Tenant.Id)
        {
            c.Refresh = null;
            c.User = null;
            c.GrantError = Aadsts.MalformedRefreshToken();
        }
        else if (c.Code is not null && c.Code.Grant.TenantId != c.Tenant.Id)
        {
            c.Code = null;
            c.User = null;
            c.GrantError = Aadsts.CodeOtherTenant();
        }
    }

    private static void ResolveV1Resource(SignInContext c)
    {
        // A refresh without resource= stays on the resource it was issued for.
        var requested = c.Request.Resource
            ?? (c.Refresh is null ? null : c.Directory.FindResource(c.Refresh.ResourceAppId)?.PrimaryUri ?? c.Refresh.ResourceAppId)
            ?? c.Code?.Grant.Resource;
        if (requested is null)
        {
            // The password grant's parameter check refused this already; a code needs resource at authorize or here.
            if (c.IsCode && c.Code is not null) c.ResourceError = Aadsts.MissingParameter("resource");
            return;
        }
        c.Resource = FindInTenant(c, requested);
        c.Audience = requested;
        if (c.Resource is null) c.ResourceError = Aadsts.ResourceNotFound(requested, c.Tenant!.DefaultDomain);
    }

    private static void ResolveV2Resource(SignInContext c)
    {
        string? prefix = null;
        // A code redeemed without scope= gets what authorize asked for; OpenID scopes asked at authorize always count.
        foreach (var oidc in (c.Code?.Grant.Scope ?? "").Split(' ').Where(WellKnownResources.OidcScopes.Contains)) c.OidcScopes.Add(oidc);
        foreach (var item in (c.Request.Scope ?? c.Code?.Grant.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
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
                c.ResourceError = Aadsts.MultipleResources(c.Request.Scope ?? c.Code!.Grant.Scope!);
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

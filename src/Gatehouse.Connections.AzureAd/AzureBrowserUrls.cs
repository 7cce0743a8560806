using Gatehouse.Core.Authorization;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// The URLs a browser is sent to at Azure AD (interactive-flows.md §5): the tenant's v1 or v2 <c>/authorize</c>, chosen
/// by <c>identity_api</c> as the password grant chooses its token endpoint, and its logout.
/// </summary>
internal static class AzureBrowserUrls
{
    /// <summary>
    /// <c>response_type=code</c> with <c>response_mode=form_post</c>: the code travels in a POST body, never in a URL
    /// (browser history, Referer, proxy and server logs), as Microsoft recommends and Auth0 does for waad; Gatehouse's
    /// callback needs no cookie of its own (the state is kept server side), so a cross-site POST loses nothing.
    /// v1 asks for <c>resource</c> = app_id, v2 for the scopes the password grant asks for; PKCE S256; <c>prompt</c>
    /// only <c>login</c> (force a new sign-in at Azure) and <c>none</c> (silent) are forwarded.
    /// </summary>
    public static Uri Authorize(WaadOptions o, RedirectSignInStart start)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("client_id", o.ClientId),
            new("response_type", "code"),
            new("redirect_uri", start.CallbackUri.AbsoluteUri),
            new("response_mode", "form_post"),
        };
        if (o.IdentityApi == WaadIdentityApi.V1)
        {
            query.Add(new("resource", o.AppId!));
            query.Add(new("scope", "openid"));
        }
        else
        {
            query.Add(new("scope", AzureTokenClient.V2Scope(o)));
        }

        query.Add(new("state", start.State));
        query.Add(new("nonce", start.Nonce));
        query.Add(new("code_challenge", Pkce.Challenge(start.CodeVerifier)));
        query.Add(new("code_challenge_method", "S256"));
        if (!string.IsNullOrEmpty(start.LoginHint))
        {
            query.Add(new("login_hint", start.LoginHint));
        }

        if (start.Prompt is "login" or "none")
        {
            query.Add(new("prompt", start.Prompt));
        }

        var path = o.IdentityApi == WaadIdentityApi.V1 ? "oauth2/authorize" : "oauth2/v2.0/authorize";
        return new Uri(new Uri(o.AuthorityUrl, $"{Uri.EscapeDataString(o.TenantPath)}/{path}"), "?" + Encode(query));
    }

    /// <summary>Azure's logout for the connection's tenant; <c>post_logout_redirect_uri</c> must be a reply URL of the app at Azure.</summary>
    public static Uri Logout(WaadOptions o, Uri? returnTo)
    {
        var path = o.IdentityApi == WaadIdentityApi.V1 ? "oauth2/logout" : "oauth2/v2.0/logout";
        var logout = new Uri(o.AuthorityUrl, $"{Uri.EscapeDataString(o.TenantPath)}/{path}");
        return returnTo is null ? logout : new Uri(logout, "?" + Encode([new("post_logout_redirect_uri", returnTo.AbsoluteUri)]));
    }

    private static string Encode(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}

using Gatehouse.Core.Authorization;
using Gatehouse.Core.Security;

namespace Gatehouse.Server.Authorization;

/// <summary>
/// Binds a federated sign-in to the browser that started it (RFC 9700 §4.7.1, login CSRF): a random value in a cookie
/// named after the state, its hash in the server-side state. A callback URL or form sent to someone else's browser
/// carries the state but not the cookie, so it signs nobody in. SameSite=None because providers answer by a cross-site
/// form_post; the path limits the cookie to the callback.
/// </summary>
internal static class FederatedBrowserBinding
{
    private const string Prefix = "gatehouse_fed_";

    public static void Set(HttpContext http, string state, string binding, int lifetimeSeconds) =>
        http.Response.Cookies.Append(CookieName(state), binding, Options(TimeSpan.FromSeconds(lifetimeSeconds)));

    /// <summary>True when this browser holds the value the state was bound to; the cookie is removed either way.</summary>
    public static bool TakeAndCheck(HttpContext http, FederatedState state)
    {
        var name = CookieName(state.State);
        var presented = http.Request.Cookies[name];
        http.Response.Cookies.Delete(name, Options(TimeSpan.Zero));
        return presented is { Length: > 0 and <= 128 } && Secrets.FixedTimeEquals(Secrets.HashToken(presented), state.BrowserBindingHash);
    }

    // One cookie per sign-in, so two tabs signing in at once do not overwrite each other's binding.
    private static string CookieName(string state) => Prefix + Secrets.HashToken(state)[..16];

    private static CookieOptions Options(TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.None,
        Path = "/" + FederatedLogin.CallbackPath,
        MaxAge = maxAge,
        IsEssential = true,
    };
}

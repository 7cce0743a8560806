using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>
/// The emulator's cookies: ESTSAUTH (the session, as Entra names it) and buid (a browser id the forms' anti-forgery
/// canary is bound to). HttpOnly; over HTTPS Secure and SameSite=None like Entra's, so form_post round trips keep them.
/// </summary>
internal static class BrowserCookies
{
    public const string Session = "ESTSAUTH";
    public const string BrowserId = "buid";

    public static string EnsureBrowserId(HttpContext ctx)
    {
        var existing = ctx.Request.Cookies[BrowserId];
        if (!string.IsNullOrEmpty(existing)) return existing;
        var id = InteractiveState.NewId();
        ctx.Response.Cookies.Append(BrowserId, id, Options(ctx));
        return id;
    }

    public static string? BrowserIdOf(HttpContext ctx) => ctx.Request.Cookies[BrowserId];

    public static string? SessionOf(HttpContext ctx) => ctx.Request.Cookies[Session];

    public static void SetSession(HttpContext ctx, string id) => ctx.Response.Cookies.Append(Session, id, Options(ctx));

    public static void ClearSession(HttpContext ctx) => ctx.Response.Cookies.Delete(Session, Options(ctx));

    private static CookieOptions Options(HttpContext ctx) => new()
    {
        HttpOnly = true,
        Secure = ctx.Request.IsHttps,
        SameSite = ctx.Request.IsHttps ? SameSiteMode.None : SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
    };
}

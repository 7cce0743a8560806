using System.Text.Encodings.Web;

namespace Gatehouse.Server.Dashboard;

/// <summary>
/// A page that goes on at once to <c>href</c> (a meta refresh, with a link for when it does not). Two uses: leaving the
/// dashboard for /authorize, since the dashboard's CSP <c>form-action 'self'</c> also covers a form's redirects and the
/// provider is elsewhere; and coming back from a cross-site redirect, whose request carries no SameSite=Strict cookie,
/// by a second navigation that starts on the dashboard's own origin and so carries it.
/// </summary>
internal static class HandOverPage
{
    public static string Render(string href, string text)
    {
        var encoder = HtmlEncoder.Default;
        var target = encoder.Encode(href);
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + $"<meta http-equiv=\"refresh\" content=\"0;url={target}\"><title>Gatehouse dashboard</title>"
            + $"<link rel=\"stylesheet\" href=\"{DashboardSetup.BasePath}/assets/dashboard.css\"></head><body><main>"
            + $"<p>{encoder.Encode(text)}</p><p><a id=\"continue\" href=\"{target}\">Continue</a></p></main></body></html>";
    }

    public static Task WriteAsync(HttpContext http, string href, string text)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(Render(href, text), http.RequestAborted);
    }
}

using System.Text.Encodings.Web;

namespace Gatehouse.Server.Login;

/// <summary>Home realm discovery's hand-over page: refreshes at once to the connection's start, with a link for when it does not.</summary>
internal static class LoginRedirectHtml
{
    public static string Render(string href, string label)
    {
        var encoder = HtmlEncoder.Default;
        var target = encoder.Encode(href);
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + $"<meta http-equiv=\"refresh\" content=\"0;url={target}\"><title>Signing in</title>"
            + $"<link rel=\"stylesheet\" href=\"{LoginSetup.BasePath}/login.css\"></head><body><main class=\"login\">"
            + $"<p>Your organization signs in with {encoder.Encode(label)}.</p>"
            + $"<a class=\"button\" href=\"{target}\">Continue with {encoder.Encode(label)}</a></main></body></html>";
    }
}

using System.Text;
using System.Text.Encodings.Web;

namespace Gatehouse.Server.Login;

/// <summary>Which form the page shows.</summary>
internal enum LoginStep
{
    /// <summary>Email and password together (no home realm discovery for this client).</summary>
    EmailAndPassword,

    /// <summary>Email first: its domain may belong to a connection with its own sign-in page.</summary>
    Email,

    /// <summary>The email is known and belongs to the database connection: the password.</summary>
    Password,
}

/// <param name="AppName">The application's name (the client's).</param>
/// <param name="Buttons">Label and href of each "Continue with" link.</param>
internal sealed record LoginPageView(
    LoginBranding Branding, string AppName, string TransactionId, string? CsrfToken, LoginStep? Step,
    string? Email, string? Problem, IReadOnlyList<(string Label, string Href)> Buttons);

/// <summary>
/// The login page's HTML. Every value goes through <see cref="HtmlEncoder"/>; no inline script or style (the CSP
/// allows neither); the tenant's colour arrives through <c>/u/branding.css</c>. Accessible: <c>lang</c>, a label for
/// every field, the error in <c>role="alert"</c> and tied to the fields by <c>aria-describedby</c>, document order = tab order.
/// </summary>
internal static class LoginPageHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static string Render(LoginPageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var tenant = view.Branding.Name ?? "Gatehouse";
        var html = new StringBuilder(2048);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Sign in to ").Append(E(view.AppName)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"").Append(LoginSetup.BasePath).Append("/login.css\">")
            .Append("<link rel=\"stylesheet\" href=\"").Append(LoginSetup.BasePath).Append("/branding.css\">")
            .Append("</head><body><main class=\"login\"><header>");
        if (view.Branding.Logo is { } logo)
            html.Append("<img class=\"logo\" src=\"").Append(E(logo.AbsoluteUri)).Append("\" alt=\"").Append(E(tenant)).Append("\">");
        html.Append("<h1>Sign in</h1><p class=\"to\">to continue to <strong>").Append(E(view.AppName)).Append("</strong>")
            .Append(view.Branding.Name is null ? "" : " at " + E(tenant)).Append("</p></header>");
        if (view.Problem is not null)
            html.Append("<p id=\"problem\" class=\"problem\" role=\"alert\">").Append(E(view.Problem)).Append("</p>");
        if (view.Step is { } step)
            Form(html, view, step);
        if (view.Buttons.Count > 0)
        {
            if (view.Step is not null)
                html.Append("<p class=\"or\"><span>or</span></p>");
            html.Append("<ul class=\"federated\">");
            foreach (var (label, href) in view.Buttons)
                html.Append("<li><a class=\"button secondary\" href=\"").Append(E(href)).Append("\">Continue with ").Append(E(label)).Append("</a></li>");
            html.Append("</ul>");
        }
        if (view.Step is null && view.Buttons.Count == 0)
            html.Append("<p>No sign-in method is enabled for this application. Contact your administrator.</p>");
        return html.Append("</main></body></html>").ToString();
    }

    private static void Form(StringBuilder html, LoginPageView view, LoginStep step)
    {
        var describedBy = view.Problem is null ? "" : " aria-describedby=\"problem\"";
        var invalid = view.Problem is null ? "" : " aria-invalid=\"true\"";
        html.Append("<form method=\"post\" action=\"").Append(LoginSetup.LoginPath).Append("?state=").Append(E(Uri.EscapeDataString(view.TransactionId))).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(LoginAntiforgery.FieldName).Append("\" value=\"").Append(E(view.CsrfToken ?? "")).Append("\">");
        var emailFocus = step == LoginStep.Password ? "" : " autofocus";
        var emailLocked = step == LoginStep.Password ? " readonly" : "";
        html.Append("<label for=\"username\">Email address</label>")
            .Append("<input id=\"username\" name=\"username\" type=\"email\" autocomplete=\"username\" required maxlength=\"320\"")
            .Append(" value=\"").Append(E(view.Email ?? "")).Append('"').Append(emailLocked).Append(emailFocus).Append(describedBy).Append(invalid).Append('>');
        if (step != LoginStep.Email)
        {
            var passwordFocus = step == LoginStep.Password ? " autofocus" : "";
            html.Append("<label for=\"password\">Password</label>")
                .Append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"1024\"")
                .Append(passwordFocus).Append(describedBy).Append(invalid).Append('>');
        }
        html.Append("<button class=\"button\" type=\"submit\">").Append(step == LoginStep.Email ? "Continue" : "Sign in").Append("</button></form>");
    }

    private static string E(string value) => Encoder.Encode(value);
}

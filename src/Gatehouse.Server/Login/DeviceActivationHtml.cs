using System.Text;
using System.Text.Encodings.Web;

namespace Gatehouse.Server.Login;

/// <summary>
/// The pages of <c>/activate</c> (Auth0's DeviceCodeActivation, DeviceCodeConfirmation, DeviceCodeActivationAllowed and
/// …Denied screens), in the login page's look and with its rules: every value encoded, no script, no inline style,
/// a label for every field, problems in <c>role="alert"</c>. The confirmation names the application that asks, so a
/// code someone else sent cannot be confirmed without seeing whose it is.
/// </summary>
internal static class DeviceActivationHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static string CodeForm(string tenant, string visitId, string csrf, string? typed, string? problem)
    {
        var html = Start("Activate your device", tenant);
        html.Append("<p class=\"to\">Enter the code shown on your device.</p></header>");
        Problem(html, problem);
        var describedBy = problem is null ? "" : " aria-describedby=\"problem\" aria-invalid=\"true\"";
        FormStart(html, visitId, csrf);
        html.Append("<label for=\"user_code\">Code</label>")
            .Append("<input id=\"user_code\" name=\"user_code\" type=\"text\" required maxlength=\"32\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" autofocus")
            .Append(" value=\"").Append(E(typed ?? "")).Append('"').Append(describedBy).Append('>')
            .Append("<button class=\"button\" type=\"submit\" name=\"action\" value=\"code\">Continue</button></form>");
        return End(html);
    }

    public static string Confirm(string tenant, string visitId, string csrf, string appName, string userCode)
    {
        var html = Start("Confirm the device", tenant);
        html.Append("<p class=\"to\"><strong>").Append(E(appName)).Append("</strong> on a device is asking to sign in")
            .Append(" as you. Continue only if you started this on your own device and it shows this code:</p></header>")
            .Append("<p class=\"code\" aria-label=\"Code ").Append(E(string.Join(' ', userCode.ToCharArray()))).Append("\">").Append(E(userCode)).Append("</p>");
        FormStart(html, visitId, csrf);
        html.Append("<div class=\"actions\"><button class=\"button\" type=\"submit\" name=\"action\" value=\"confirm\">Confirm</button>")
            .Append("<button class=\"button secondary\" type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button></div></form>");
        return End(html);
    }

    public static string Message(string title, string tenant, string text, bool alert)
    {
        var html = Start(title, tenant);
        html.Append("</header>");
        if (alert)
            Problem(html, text);
        else
            html.Append("<p>").Append(E(text)).Append("</p>");
        return End(html);
    }

    /// <summary>The end of a device's sign-in, shown by <c>ISignInCompletion</c>.</summary>
    public static LoginHtmlResult Finished(bool connected, string? problem) => connected
        ? new LoginHtmlResult(StatusCodes.Status200OK, Message("Device connected", "", "You are signed in on your device. You can close this window.", alert: false), null, null)
        : new LoginHtmlResult(StatusCodes.Status400BadRequest, Message("Device not connected", "", problem ?? "The device was not signed in.", alert: true), null, null);

    private static StringBuilder Start(string title, string tenant)
    {
        var html = new StringBuilder(2048);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"").Append(LoginSetup.BasePath).Append("/login.css\">")
            .Append("<link rel=\"stylesheet\" href=\"").Append(LoginSetup.BasePath).Append("/branding.css\">")
            .Append("</head><body><main class=\"login\"><header><h1>").Append(E(title)).Append("</h1>");
        if (tenant.Length > 0)
            html.Append("<p class=\"to\">").Append(E(tenant)).Append("</p>");
        return html;
    }

    private static void FormStart(StringBuilder html, string visitId, string csrf) =>
        html.Append("<form method=\"post\" action=\"").Append(DeviceActivationEndpoints.PagePath).Append("?state=").Append(E(Uri.EscapeDataString(visitId))).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(LoginAntiforgery.FieldName).Append("\" value=\"").Append(E(csrf)).Append("\">");

    private static void Problem(StringBuilder html, string? problem)
    {
        if (problem is not null)
            html.Append("<p id=\"problem\" class=\"problem\" role=\"alert\">").Append(E(problem)).Append("</p>");
    }

    private static string End(StringBuilder html) => html.Append("</main></body></html>").ToString();

    private static string E(string value) => Encoder.Encode(value);
}

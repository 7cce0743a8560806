using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>
/// The emulator's sign-in pages: plain HTML with no external assets and stable field names and ids (Entra's own,
/// where Entra has one) so Playwright and HttpClient tests can drive them. Field names are listed in README.md.
/// </summary>
internal static class SignInPages
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    private const string Css =
        "body{font-family:system-ui,sans-serif;background:#f2f2f2;color:#1b1b1b}" +
        "main{max-width:440px;margin:4rem auto;background:#fff;padding:2.5rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}" +
        "label,input,button{display:block;width:100%;margin:.4rem 0;font-size:1rem}input{padding:.4rem;border:1px solid #666}" +
        "button{padding:.5rem;background:#0067b8;color:#fff;border:0;cursor:pointer}.error{color:#a4262c}pre{white-space:pre-wrap}";

    public static Task SignInAsync(HttpContext ctx, FlowPage page, string? login, string? error) =>
        WriteAsync(ctx, "Sign in to your account", 200, formAction: page.FormAction, body: nonce => $"""
            <h1>Sign in</h1>
            {Form(page, "login", "loginForm", nonce)}
              <label for="i0116">Email, phone, or Skype</label>
              <input type="email" id="i0116" name="login" autocomplete="username" required value="{E(login)}">
              <label for="i0118">Password</label>
              <input type="password" id="i0118" name="passwd" autocomplete="current-password">
              {Alert("passwordError", error)}
              <button type="submit" id="idSIButton9" name="action" value="signin">Sign in</button>
            </form>
            """);

    public static Task MfaAsync(HttpContext ctx, FlowPage page, string upn, string? error) =>
        WriteAsync(ctx, "Enter code", 200, formAction: page.FormAction, body: nonce => $"""
            <h1>Enter code</h1>
            <p id="mfaUser">{E(upn)}</p>
            <p>Enter the code we sent to your verification device.</p>
            {Form(page, "login/mfa", "mfaForm", nonce)}
              <label for="idTxtBx_SAOTCC_OTC">Code</label>
              <input type="text" id="idTxtBx_SAOTCC_OTC" name="otc" inputmode="numeric" autocomplete="one-time-code" required>
              {Alert("idSpan_SAOTCC_Error_OTC", error)}
              <button type="submit" id="idSubmit_SAOTCC_Continue" name="action" value="verify">Verify</button>
            </form>
            """);

    public static Task ConsentAsync(HttpContext ctx, FlowPage page, string appName, IEnumerable<string> scopes) =>
        WriteAsync(ctx, "Permissions requested", 200, formAction: page.FormAction, body: nonce => $"""
            <h1>Permissions requested</h1>
            <p id="consentApp">{E(appName)}</p>
            <p>This app would like to:</p>
            <ul id="consentScopes">{string.Concat(scopes.Select(s => $"<li>{E(s)}</li>"))}</ul>
            {Form(page, "login/consent", "consentForm", nonce)}
              <button type="submit" id="idBtn_Back" name="action" value="cancel">Cancel</button>
              <button type="submit" id="idSIButton9" name="action" value="accept">Accept</button>
            </form>
            """);

    public static Task AccountPickerAsync(HttpContext ctx, FlowPage page, string upn) =>
        WriteAsync(ctx, "Pick an account", 200, formAction: page.FormAction, body: nonce => $"""
            <h1>Pick an account</h1>
            {Form(page, "login/select", "pickerForm", nonce)}
              <button type="submit" id="idSIButton9" name="action" value="continue">{E(upn)}</button>
              <button type="submit" id="otherTile" name="action" value="other">Use another account</button>
            </form>
            """);

    /// <summary>A page that ends the flow: the Conditional Access block, MFA registration, or a request Entra will not redirect.</summary>
    public static Task StopAsync(HttpContext ctx, EmulatorRuntime rt, string title, AadstsError error, int status)
    {
        var (description, _) = AadstsErrorWriter.Describe(ctx, error, rt.Directory.Settings, rt.Time);
        return WriteAsync(ctx, title, status, _ => $"""
            <h1>{E(title)}</h1>
            <div id="errorDetails" role="alert"><pre id="errorDescription">{E(description)}</pre>
            <p>Error code: <span id="errorCode">AADSTS{error.Code}</span></p></div>
            """);
    }

    public static Task SignedOutAsync(HttpContext ctx) =>
        WriteAsync(ctx, "Signed out", 200, _ => """
            <h1 id="signedOut">You signed out of your account</h1>
            <p>It's a good idea to close all browser windows.</p>
            """);

    /// <summary>response_mode=form_post: a form to the redirect_uri, submitted on load (a button without script).</summary>
    public static Task FormPostAsync(HttpContext ctx, string redirectUri, IEnumerable<KeyValuePair<string, string>> fields)
    {
        return WriteAsync(ctx, "Working...", 200, formAction: OriginOf(redirectUri), body: nonce => $"""
            <form method="post" action="{E(redirectUri)}">
            {string.Concat(fields.Select(f => $"<input type=\"hidden\" name=\"{E(f.Key)}\" value=\"{E(f.Value)}\">"))}
            <noscript><button type="submit">Continue</button></noscript>
            </form>
            <script nonce="{nonce}">document.forms[0].submit();</script>
            """);
    }

    private static string Form(FlowPage page, string path, string id, string nonce) => $"""
        <form method="post" id="{id}" action="/{Uri.EscapeDataString(page.TenantSegment)}/{path}" novalidate>
          <input type="hidden" name="flowToken" value="{E(page.FlowToken)}">
          <input type="hidden" name="canary" value="{E(page.Canary)}">
        """;

    private static string Alert(string id, string? message) =>
        message is null ? "" : $"""<div id="{id}" class="error" role="alert">{E(message)}</div>""";

    private static string E(string? value) => Html.Encode(value ?? "");

    /// <summary>The CSP source of the redirect_uri's origin.</summary>
    public static string OriginOf(string redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Authority) : "'none'";

    private static async Task WriteAsync(HttpContext ctx, string title, int status, Func<string, string> body, string formAction = "'self'")
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        StsHeaders.NoStore(ctx);
        var h = ctx.Response.Headers;
        h.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html; charset=utf-8";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)}</title>
            <style nonce="{nonce}">{Css}</style>
            </head><body><main>
            <p>Emulated Microsoft Entra ID</p>
            {body(nonce)}
            </main></body></html>
            """;
        await ctx.Response.WriteAsync(html, Encoding.UTF8, ctx.RequestAborted);
    }
}

/// <summary>
/// What every form of a flow carries: the flow token and its anti-forgery canary. FormAction is the CSP form-action:
/// the emulator and the app's redirect_uri, since browsers apply form-action to the redirect a form post answers with.
/// </summary>
internal sealed record FlowPage(string TenantSegment, string FlowToken, string Canary, string FormAction);

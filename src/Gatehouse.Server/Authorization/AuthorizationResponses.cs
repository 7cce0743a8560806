using System.Net;
using System.Text;
using Gatehouse.Core.Security;

namespace Gatehouse.Server.Authorization;

/// <summary>Where and how an authorization response goes: the app's checked redirect URI, its response_mode, its state.</summary>
internal sealed record AppRedirect(string RedirectUri, string ResponseMode, string? State);

/// <summary>
/// Authorization responses (RFC 6749 §4.1.2, OAuth 2.0 Form Post Response Mode): to the app's redirect URI as a query
/// (302) or an auto-submitting form (200), always with <c>iss</c> (RFC 9207) and the app's <c>state</c>; and the error
/// page shown instead when there is no checked redirect URI to answer (never a redirect then).
/// </summary>
internal static class AuthorizationResponses
{
    public const string Query = "query";
    public const string FormPost = "form_post";

    public static IResult Success(AppRedirect app, string code, string issuer) => ToApp(app, [("code", code)], issuer);

    public static IResult Error(AppRedirect app, string error, string description, string issuer) =>
        ToApp(app, [("error", error), ("error_description", description)], issuer);

    private static IResult ToApp(AppRedirect app, List<(string Name, string Value)> parameters, string issuer)
    {
        if (app.State is { } state)
            parameters.Add(("state", state));
        parameters.Add(("iss", issuer));
        return app.ResponseMode == FormPost ? FormPostPage(app.RedirectUri, parameters) : new QueryRedirect(app.RedirectUri, parameters);
    }

    /// <summary>Auth0's "Oops!, something went wrong" page: the browser stays at Gatehouse.</summary>
    public static IResult ErrorPage(string title, string description, int status = 400) => new HtmlPage(status, $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Error</title></head>
        <body><main><h1>Oops!, something went wrong</h1><p><strong>{Html(title)}</strong></p><p>{Html(description)}</p></main></body></html>
        """, ScriptNonce: null, FormAction: null);

    private static HtmlPage FormPostPage(string redirectUri, List<(string Name, string Value)> parameters)
    {
        var nonce = Secrets.RandomToken(16);
        var inputs = new StringBuilder();
        foreach (var (name, value) in parameters)
            inputs.Append("<input type=\"hidden\" name=\"").Append(Html(name)).Append("\" value=\"").Append(Html(value)).Append("\">");
        return new HtmlPage(200, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Signing in</title></head>
            <body><form method="post" action="{Html(redirectUri)}">{inputs}<noscript><p>Press Continue to return to the application.</p><button type="submit">Continue</button></noscript></form>
            <script nonce="{nonce}">document.forms[0].submit();</script></body></html>
            """, nonce, FormActionSource(redirectUri));
    }

    /// <summary>The CSP form-action source that allows exactly the redirect URI's origin.</summary>
    private static string FormActionSource(string redirectUri)
    {
        var uri = new Uri(redirectUri);
        return uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : uri.Scheme + ":";
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private sealed class QueryRedirect(string redirectUri, List<(string Name, string Value)> parameters) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var location = new StringBuilder(redirectUri).Append(redirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?');
            location.AppendJoin('&', parameters.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));
            NoStore(httpContext.Response);
            httpContext.Response.StatusCode = StatusCodes.Status302Found;
            httpContext.Response.Headers.Location = location.ToString();
            return Task.CompletedTask;
        }
    }

    /// <summary>A page of Gatehouse's own: no third-party assets, no framing, scripts only with this response's nonce.</summary>
    private sealed record HtmlPage(int Status, string Body, string? ScriptNonce, string? FormAction) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => Status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            NoStore(response);
            response.StatusCode = Status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'"
                + (ScriptNonce is null ? "" : $"; script-src 'nonce-{ScriptNonce}'")
                + $"; form-action {FormAction ?? "'none'"}";
            response.Headers.XFrameOptions = "DENY";
            response.Headers.XContentTypeOptions = "nosniff";
            return response.WriteAsync(Body, httpContext.RequestAborted);
        }
    }
}

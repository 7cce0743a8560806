using System.Web;
using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>
/// Answers to the redirect_uri in the flow's response_mode (query, fragment, form_post), encoded as Entra does:
/// lower-case percent escapes and '+' for spaces (interactive-flows.md §5.3).
/// </summary>
internal static class AuthorizeResponses
{
    public static Task CodeAsync(HttpContext ctx, AuthorizeFlow flow, string code, string sessionState)
    {
        var fields = new List<KeyValuePair<string, string>> { new("code", code) };
        if (flow.Parameters.State is { } state) fields.Add(new("state", state));
        fields.Add(new("session_state", sessionState));
        return DeliverAsync(ctx, flow, fields);
    }

    /// <summary>error, error_description (AADSTS…, Trace ID, Correlation ID, Timestamp), error_uri, state.</summary>
    public static Task ErrorAsync(HttpContext ctx, EmulatorRuntime rt, AuthorizeFlow flow, AadstsError error, string? subcode = null)
    {
        var (description, _) = AadstsErrorWriter.Describe(ctx, error, rt.Directory.Settings, rt.Time);
        var fields = new List<KeyValuePair<string, string>> { new("error", error.Error) };
        if (subcode is not null) fields.Add(new("error_subcode", subcode));
        fields.Add(new("error_description", description));
        fields.Add(new("error_uri", $"{RequestIds.BaseUrl(ctx)}error?code={error.Code}"));
        if (flow.Parameters.State is { } state) fields.Add(new("state", state));
        return DeliverAsync(ctx, flow, fields);
    }

    private static Task DeliverAsync(HttpContext ctx, AuthorizeFlow flow, List<KeyValuePair<string, string>> fields)
    {
        if (flow.Parameters.Mode == "form_post") return SignInPages.FormPostAsync(ctx, flow.RedirectUri, fields);
        var separator = flow.Parameters.Mode == "fragment" ? '#' : flow.RedirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var encoded = string.Join('&', fields.Select(f => $"{HttpUtility.UrlEncode(f.Key)}={HttpUtility.UrlEncode(f.Value)}"));
        StsHeaders.NoStore(ctx);
        ctx.Response.StatusCode = StatusCodes.Status302Found;
        ctx.Response.Headers.Location = flow.RedirectUri + separator + encoded;
        return Task.CompletedTask;
    }
}

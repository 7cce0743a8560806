using System.Web;
using Gatehouse.AzureAd.Emulator.Hosting;
using Gatehouse.AzureAd.Emulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>
/// <c>/{tenant}/oauth2/logout</c> and <c>/{tenant}/oauth2/v2.0/logout</c>: ends the emulator session, then redirects to
/// post_logout_redirect_uri when it is a reply URL of client_id or of an app the session signed in to; otherwise
/// the signed-out page (interactive-flows.md §5.6).
/// </summary>
internal static class LogoutEndpoint
{
    private static readonly string[] GetOrPost = ["GET", "POST"];

    public static void Map(IEndpointRouteBuilder app, EmulatorRuntime rt)
    {
        app.MapMethods("/{tenant}/oauth2/logout", GetOrPost, (HttpContext ctx) => LogoutAsync(ctx, rt));
        app.MapMethods("/{tenant}/oauth2/v2.0/logout", GetOrPost, (HttpContext ctx) => LogoutAsync(ctx, rt));
    }

    private static async Task LogoutAsync(HttpContext ctx, EmulatorRuntime rt)
    {
        IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> source =
            HttpMethods.IsPost(ctx.Request.Method) ? await Endpoints.TokenRequest.ReadFormOrEmptyAsync(ctx) : ctx.Request.Query;
        var values = source.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        var target = values.GetValueOrDefault("post_logout_redirect_uri");
        var state = values.GetValueOrDefault("state");

        var session = rt.Interactive.FindSession(BrowserCookies.SessionOf(ctx));
        var clients = new List<string>(session?.ClientIds ?? []);
        if (values.GetValueOrDefault("client_id") is { Length: > 0 } clientId) clients.Add(clientId);
        rt.Interactive.EndSession(session?.Id);
        BrowserCookies.ClearSession(ctx);

        var directory = rt.Directory.Snapshot;
        var allowed = !string.IsNullOrEmpty(target) && clients.Any(id =>
            directory.FindApp(id) is { } app && RedirectUriRule.IsRegistered(app.Seed.RedirectUris, target));
        if (!allowed)
        {
            await SignInPages.SignedOutAsync(ctx);
            return;
        }
        StsHeaders.NoStore(ctx);
        ctx.Response.StatusCode = StatusCodes.Status302Found;
        ctx.Response.Headers.Location = string.IsNullOrEmpty(state)
            ? target
            : target + (target!.Contains('?', StringComparison.Ordinal) ? '&' : '?') + "state=" + HttpUtility.UrlEncode(state);
    }
}

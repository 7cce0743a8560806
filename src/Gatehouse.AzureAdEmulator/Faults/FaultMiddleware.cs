using System.Globalization;
using System.Text;
using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Endpoints;
using Gatehouse.AzureAd.Emulator.Hosting;
using Gatehouse.AzureAd.Emulator.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.AzureAd.Emulator.Faults;

/// <summary>Applies the first matching fault rule before the endpoint runs (reference §11.4).</summary>
internal sealed class FaultMiddleware(EmulatorRuntime rt, IHostApplicationLifetime lifetime)
{
    private static readonly object TamperingKey = new();

    /// <summary>The token defects a fault asked for on this request, if any.</summary>
    public static TokenTampering? TamperingFor(HttpContext ctx) =>
        ctx.Items.TryGetValue(TamperingKey, out var t) ? (TokenTampering)t! : null;

    public async Task InvokeAsync(HttpContext ctx, Func<Task> next)
    {
        if (rt.Faults.IsEmpty)
        {
            await next();
            return;
        }
        var route = FaultRoutes.Classify(ctx.Request.Path);
        if (route is null)
        {
            await next();
            return;
        }
        var user = rt.Faults.NeedsUser(route) ? await UserOfAsync(ctx, route) : null;
        var rule = rt.Faults.Take(route, user);
        if (rule is null)
        {
            await next();
            return;
        }
        await ApplyAsync(ctx, route, rule, next);
    }

    private async Task ApplyAsync(HttpContext ctx, string route, FaultRule rule, Func<Task> next)
    {
        var graph = route is FaultRoute.Graph or FaultRoute.AadGraph;
        switch (rule.Kind)
        {
            case FaultKind.Latency:
                // Latency is wall-clock time even when tokens use a test clock.
                await Task.Delay(rule.DelayMs ?? 1000, ctx.RequestAborted);
                await next();
                return;
            case FaultKind.Timeout:
                await HangAsync(ctx);
                return;
            case FaultKind.Reset:
                ctx.Abort();
                return;
            case FaultKind.Throttle:
                await ThrottleAsync(ctx, rule, graph);
                return;
            case FaultKind.ServerError when graph:
                await GraphErrors.WriteAsync(ctx, route, rule.Status ?? 503, rule.Status is null or 503 ? "serviceNotAvailable" : "generalException",
                    "The service is temporarily unavailable. Please retry later.", rt.Time);
                return;
            case FaultKind.ServerError:
                var status = rule.Status ?? 500;
                var transient = status == 503 ? Aadsts.Transient(90033, "temporarily_unavailable", 503) : Aadsts.Transient(50033, "server_error", status);
                await AadstsErrorWriter.WriteAsync(ctx, transient, rt.Directory.Settings, rt.Time);
                return;
            case FaultKind.HtmlError:
                await WriteAsync(ctx, rule.Status ?? 502, "text/html",
                    "<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h2>Service Unavailable</h2><p>The server is temporarily unable to service your request.</p></body></html>");
                return;
            case FaultKind.MalformedJson:
                await WriteAsync(ctx, 200, "application/json; charset=utf-8", "{\"token_type\":\"Bearer\",\"scope\":\"User.Read\",\"expires_in\":35");
                return;
            case FaultKind.LoopDetected:
                await AadstsErrorWriter.WriteAsync(ctx, Aadsts.LoopDetected(), rt.Directory.Settings, rt.Time);
                return;
            default:
                ctx.Items[TamperingKey] = new TokenTampering(
                    rule.Kind == FaultKind.UnsignedIdToken, rule.Kind == FaultKind.WrongIssuer, rule.Kind == FaultKind.WrongAudience,
                    rule.Kind == FaultKind.WrongTenant, rule.Kind == FaultKind.ExpiredToken);
                await next();
                return;
        }
    }

    /// <summary>Answers nothing until the client gives up (or the emulator stops).</summary>
    private async Task HangAsync(HttpContext ctx)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, both.Token);
        }
        catch (OperationCanceledException)
        {
            ctx.Abort();
        }
    }

    private async Task ThrottleAsync(HttpContext ctx, FaultRule rule, bool graph)
    {
        var seconds = rule.RetryAfterSeconds ?? 60;
        ctx.Response.Headers.RetryAfter = rule.RetryAfterAsDate
            ? rt.Time.GetUtcNow().AddSeconds(seconds).ToString("r", CultureInfo.InvariantCulture)
            : seconds.ToString(CultureInfo.InvariantCulture);
        ctx.Response.Headers["x-ms-request-id"] = RequestIds.Of(ctx).TraceId;
        if (graph)
            await GraphErrors.WriteAsync(ctx, FaultRoute.Graph, 429, "TooManyRequests", "Please retry again later.", rt.Time);
        else
            await WriteAsync(ctx, 429, "text/plain; charset=utf-8", "Too Many Requests");
    }

    private static async Task WriteAsync(HttpContext ctx, int status, string contentType, string body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }

    /// <summary>The user a request is for: the token request's username, or the Graph bearer's upn.</summary>
    private static async Task<string?> UserOfAsync(HttpContext ctx, string route)
    {
        if (route is FaultRoute.TokenV1 or FaultRoute.TokenV2)
        {
            var form = await TokenRequest.ReadFormOrEmptyAsync(ctx);
            return form["username"].ToString();
        }
        if (route is FaultRoute.Graph or FaultRoute.AadGraph)
        {
            var token = BearerToken.From(ctx.Request);
            if (token is not null && Jwt.TryRead(token, out _, out var payload))
                return payload.TryGetProperty("upn", out var upn) ? upn.GetString()
                    : payload.TryGetProperty("preferred_username", out var pu) ? pu.GetString() : null;
        }
        return null;
    }
}

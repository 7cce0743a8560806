using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>Shared plumbing of the Graph APIs: authenticate, authorize, read JSON bodies, write JSON.</summary>
internal static class GraphResponses
{
    public static async Task RunAsync(HttpContext ctx, EmulatorRuntime rt, string route, string[] anyOf, Func<GraphCaller, Task> handle)
    {
        var aadGraph = route == FaultRoute.AadGraph;
        var (caller, failure) = GraphAuth.Authenticate(ctx, rt, aadGraph);
        if (failure is null && !caller!.HasAny(anyOf)) failure = GraphAuth.Forbidden();
        if (failure is not null)
        {
            await GraphErrors.WriteAsync(ctx, route, failure.Status, failure.Code, failure.Message, rt.Time);
            return;
        }
        await handle(caller!);
    }

    public static Task FailAsync(HttpContext ctx, EmulatorRuntime rt, string route, int status, string code, string message) =>
        GraphErrors.WriteAsync(ctx, route, status, code, message, rt.Time);

    /// <summary>The request's JSON object body, or null when it is missing or not a JSON object.</summary>
    public static async Task<JsonElement?> ReadBodyAsync(HttpContext ctx)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static async Task WriteAsync(HttpContext ctx, bool aadGraph, Action<Utf8JsonWriter> body)
    {
        var ids = RequestIds.Of(ctx);
        ctx.Response.Headers["request-id"] = ids.TraceId;
        ctx.Response.Headers["client-request-id"] = ids.CorrelationId;
        ctx.Response.Headers.CacheControl = "no-cache";
        ctx.Response.ContentType = aadGraph
            ? "application/json; odata=minimalmetadata; streaming=true; charset=utf-8"
            : "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
        using var buffer = new MemoryStream(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        await ctx.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ctx.RequestAborted);
    }

    /// <summary>Transitive group ids of a user, as getMemberGroups / getMemberObjects return them.</summary>
    public static List<string> MemberGroupIds(Model.User user, bool securityEnabledOnly) =>
        user.TransitiveMemberOf.Where(g => !securityEnabledOnly || g.Seed.SecurityEnabled).Select(g => g.Id).ToList();
}

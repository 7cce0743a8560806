using System.Globalization;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>Error bodies of Microsoft Graph (§8.4) and Azure AD Graph (§9.2), chosen by route.</summary>
internal static class GraphErrors
{
    public static async Task WriteAsync(HttpContext ctx, string route, int status, string code, string message, TimeProvider time)
    {
        var ids = RequestIds.Of(ctx);
        var date = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.Headers["request-id"] = ids.TraceId;
        ctx.Response.Headers["client-request-id"] = ids.CorrelationId;
        if (status == 401) ctx.Response.Headers.WWWAuthenticate = "Bearer";
        using var buffer = new MemoryStream(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (route == FaultRoute.AadGraph)
            {
                w.WriteStartObject("odata.error");
                w.WriteString("code", code);
                w.WriteStartObject("message");
                w.WriteString("lang", "en");
                w.WriteString("value", message);
                w.WriteEndObject();
                w.WriteString("requestId", ids.TraceId);
                w.WriteString("date", date);
                w.WriteEndObject();
            }
            else
            {
                w.WriteStartObject("error");
                w.WriteString("code", code);
                w.WriteString("message", message);
                w.WriteStartObject("innerError");
                w.WriteString("date", date);
                w.WriteString("request-id", ids.TraceId);
                w.WriteString("client-request-id", ids.CorrelationId);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        await ctx.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ctx.RequestAborted);
    }
}

using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Hosting;

/// <summary>Per-request trace id (x-ms-request-id) and correlation id (echo of client-request-id or new).</summary>
internal sealed class RequestIds
{
    private static readonly object Key = new();

    private RequestIds(string traceId, string correlationId)
    {
        TraceId = traceId;
        CorrelationId = correlationId;
    }

    public string TraceId { get; }
    public string CorrelationId { get; }

    public static RequestIds Of(HttpContext context)
    {
        if (context.Items.TryGetValue(Key, out var existing)) return (RequestIds)existing!;
        var sent = context.Request.Headers["client-request-id"].ToString();
        var ids = new RequestIds(
            Guid.NewGuid().ToString(),
            Guid.TryParse(sent, out _) ? sent : Guid.NewGuid().ToString());
        context.Items[Key] = ids;
        return ids;
    }

    /// <summary>The scheme://host[:port] the client used; errors, issuers and links follow it.</summary>
    public static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}/";
}

using System.Diagnostics;
using System.Text.Json;
using Gatehouse.Core.Observability;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Core.Connections;

/// <summary>
/// Wraps the upstream HTTP handler of a connection strategy: one span, one duration measurement and one log event
/// (EventIds 1611-1612) per upstream call, named by operation (<see cref="Operation"/>), with the HTTP status and, for
/// an Azure AD error answer, its AADSTS code. Never the URL's path or query (they may hold a user name), a header or
/// a request body (a password, a client secret, a refresh token).
/// </summary>
public sealed partial class UpstreamObserver(HttpMessageHandler inner, ILogger<UpstreamObserver> log) : DelegatingHandler(inner)
{
    /// <summary>An error answer is buffered up to this size (Azure AD's are under 2 KB); a larger one fails the call as the caller's own bound would.</summary>
    private const long MaxPeekBytes = 4 * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = Operation(request.RequestUri);
        var host = request.RequestUri?.Host ?? "";
        var started = Stopwatch.GetTimestamp();
        using var activity = GatehouseTelemetry.Source.HasListeners()
            ? GatehouseTelemetry.Source.StartActivity("upstream " + operation, ActivityKind.Client)
            : null; // no span name built when no one listens
        activity?.SetTag("upstream.operation", operation);
        activity?.SetTag("server.address", host);
        HttpResponseMessage? response = null;
        int? code;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
            code = (int)response.StatusCode >= 400 ? await AadstsCodeAsync(response, cancellationToken) : null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            response?.Dispose();
            var failedMs = Record(operation, 0, null, started, activity);
            UpstreamFailed(log, operation, host, e.GetType().Name, failedMs);
            throw;
        }

        var ms = Record(operation, (int)response.StatusCode, code, started, activity);
        UpstreamAnswered(log, operation, host, (int)response.StatusCode, code ?? 0, ms);
        return response;
    }

    /// <summary>A fixed name per kind of upstream call; unknown URLs are <c>other</c>.</summary>
    public static string Operation(Uri? url)
    {
        var path = url?.AbsolutePath ?? "";
        if (path.EndsWith("/token", StringComparison.Ordinal))
            return "azure_ad.token";
        if (path.Contains("/.well-known/", StringComparison.Ordinal))
            return "azure_ad.discovery";
        if (path.EndsWith("/keys", StringComparison.Ordinal))
            return "azure_ad.keys";
        if (path.Contains("/userrealm/", StringComparison.Ordinal))
            return "azure_ad.userrealm";
        if (path.Contains("/me", StringComparison.Ordinal) || path.Contains("/v1.0/", StringComparison.Ordinal)
            || (url?.Query.Contains("api-version=", StringComparison.Ordinal) ?? false))
            return "graph";
        return "other";
    }

    private static long Record(string operation, int status, int? code, long started, Activity? activity)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        GatehouseTelemetry.UpstreamDuration.Record(elapsed.TotalSeconds, new TagList
        {
            { "upstream.operation", operation },
            { "http.response.status_code", status },
        });
        if (code is { } aadsts)
            GatehouseTelemetry.UpstreamErrorCodes.Add(1, new TagList { { "upstream.operation", operation }, { "aadsts", aadsts } });
        if (activity is not null)
        {
            activity.SetTag("http.response.status_code", status);
            if (code is not null)
                activity.SetTag("aadsts", code);
            if (status is 0 or >= 500)
                activity.SetStatus(ActivityStatusCode.Error);
        }
        return (long)elapsed.TotalMilliseconds;
    }

    /// <summary>The first AADSTS code of a JSON error answer (<c>error_codes</c>), or null. Buffers the body, which the caller then reads as usual.</summary>
    private static async Task<int?> AadstsCodeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
            return null;
        await response.Content.LoadIntoBufferAsync(MaxPeekBytes, ct);
        try
        {
            using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(ct));
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error_codes", out var codes) && codes.ValueKind == JsonValueKind.Array
                && codes.GetArrayLength() > 0 && codes[0].ValueKind == JsonValueKind.Number && codes[0].TryGetInt32(out var code) ? code : null;
        }
        catch (JsonException)
        {
            return null; // not JSON after all: the caller's own checks judge the answer
        }
    }

    [LoggerMessage(EventId = 1611, EventName = "UpstreamAnswered", Level = LogLevel.Debug,
        Message = "Upstream {Operation} at {Host} answered {Status} (AADSTS {Aadsts}) in {ElapsedMs} ms")]
    private static partial void UpstreamAnswered(ILogger log, string operation, string host, int status, int aadsts, long elapsedMs);

    [LoggerMessage(EventId = 1612, EventName = "UpstreamFailed", Level = LogLevel.Warning,
        Message = "Upstream {Operation} at {Host} gave no answer ({Failure}) after {ElapsedMs} ms")]
    private static partial void UpstreamFailed(ILogger log, string operation, string host, string failure, long elapsedMs);
}

using System.Diagnostics;
using Gatehouse.Core.Observability;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Core.Grants;

/// <summary>
/// What one token request leaves for an operator: a log event (stable EventIds 1601-1603), the
/// <c>gatehouse.token</c> span's tags and the request metrics. Only values Gatehouse itself vouches for are named:
/// a client or connection that exists (a caller could type a password into client_id or realm), a known grant
/// type, the OAuth error code (never its description, which may echo input).
/// </summary>
internal static partial class TokenPipelineLog
{
    public const string ActivityName = "gatehouse.token";

    public static void Observe(ILogger log, Activity? activity, long started, string? grantType, string? clientId,
        string? connection, TokenOutcome? outcome)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        grantType ??= "unknown";
        connection ??= "";
        // No outcome: the grant threw (the upstream unavailable, the store down); the HTTP edge answers 5xx.
        var error = outcome is null ? "server_error" : outcome.Error?.Error;
        var result = error is null ? "success" : "failure";

        GatehouseTelemetry.TokenRequests.Add(1, new TagList
        {
            { "grant_type", grantType },
            { "connection", connection },
            { "outcome", result },
            { "error", error ?? "" },
        });
        GatehouseTelemetry.TokenDuration.Record(elapsed.TotalSeconds, new TagList
        {
            { "grant_type", grantType },
            { "outcome", result },
        });

        if (activity is not null)
        {
            activity.SetTag("gatehouse.grant_type", grantType);
            activity.SetTag("gatehouse.client_id", clientId);
            activity.SetTag("gatehouse.connection", connection);
            activity.SetTag("gatehouse.outcome", result);
            if (error is not null)
            {
                activity.SetTag("gatehouse.error", error);
                activity.SetStatus(ActivityStatusCode.Error, error);
            }
        }

        var ms = (long)elapsed.TotalMilliseconds;
        if (outcome is null)
            TokenRequestFailed(log, grantType, clientId ?? "", connection, ms);
        else if (outcome.Error is { } refused)
            TokenRefused(log, refused.Status >= 500 ? LogLevel.Warning : LogLevel.Debug, grantType, clientId ?? "", connection, refused.Error, refused.Status, ms);
        else
            TokenIssued(log, grantType, clientId ?? "", connection, ms);
    }

    [LoggerMessage(EventId = 1601, EventName = "TokenIssued", Level = LogLevel.Debug,
        Message = "Token request {GrantType} from client {ClientId} on connection {Connection} succeeded in {ElapsedMs} ms")]
    private static partial void TokenIssued(ILogger log, string grantType, string clientId, string connection, long elapsedMs);

    /// <summary>Debug for a refusal the caller caused (a wrong password flood must not flood the log too: the audit log and the metrics count them); Warning for a 5xx.</summary>
    [LoggerMessage(EventId = 1602, EventName = "TokenRefused",
        Message = "Token request {GrantType} from client {ClientId} on connection {Connection} refused: {Error} ({Status}) in {ElapsedMs} ms")]
    private static partial void TokenRefused(ILogger log, LogLevel level, string grantType, string clientId, string connection, string error, int status, long elapsedMs);

    [LoggerMessage(EventId = 1603, EventName = "TokenRequestFailed", Level = LogLevel.Warning,
        Message = "Token request {GrantType} from client {ClientId} on connection {Connection} failed after {ElapsedMs} ms (the server answers 5xx)")]
    private static partial void TokenRequestFailed(ILogger log, string grantType, string clientId, string connection, long elapsedMs);
}

using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Logs;

/// <summary>What an audit event says; the log id and date are added on write. Never carries a password or a secret.</summary>
public sealed record AuditEntry(string Type, string? Description)
{
    public string? ClientId { get; init; }
    public string? ClientName { get; init; }
    public Connection? Connection { get; init; }
    public string? UserId { get; init; }
    public string? UserName { get; init; }
    public string? Ip { get; init; }
    public string? ClientIp { get; init; }
    public string? UserAgent { get; init; }
    public string? Audience { get; init; }
    public string? Scope { get; init; }
    public JsonElement? Details { get; init; }
}

/// <summary>
/// Appends Auth0-shaped log events to the store. An event's <c>strategy_type</c> is what its connection's strategy
/// declares (<see cref="StrategyDescriptor.StrategyType"/>), so the log names no strategy itself.
/// </summary>
public sealed class AuditLog(IAuditLogStore store, LogIds ids, TimeProvider time, ConnectionCache strategies)
{
    /// <summary>Appends the event; returns its log id (the caller can show or fetch exactly this event).</summary>
    public async Task<string> WriteAsync(AuditEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var connection = entry.Connection;
        var logEvent = new LogEvent(
            LogId: ids.Next(),
            Date: time.GetUtcNow(),
            Type: entry.Type,
            Description: entry.Description,
            ClientId: entry.ClientId,
            ClientName: entry.ClientName,
            ConnectionName: connection?.Name,
            ConnectionId: connection?.Id,
            Strategy: connection?.Strategy,
            StrategyType: connection is null ? null : strategies.FindStrategy(connection.Strategy)?.Descriptor.StrategyType,
            UserId: entry.UserId,
            UserName: entry.UserName,
            Ip: entry.Ip,
            ClientIp: entry.ClientIp ?? entry.Ip,
            UserAgent: entry.UserAgent,
            Audience: entry.Audience,
            Scope: entry.Scope,
            Details: entry.Details);
        await store.AppendLogAsync(logEvent, ct);
        return logEvent.LogId;
    }
}

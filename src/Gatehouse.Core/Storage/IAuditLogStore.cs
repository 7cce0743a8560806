namespace Gatehouse.Core.Storage;

/// <summary>The audit log: append-only, listed newest first unless the query says otherwise.</summary>
public interface IAuditLogStore
{
    Task AppendLogAsync(LogEvent logEvent, CancellationToken ct);
    Task<LogEvent?> GetLogAsync(string logId, CancellationToken ct);
    Task<Page<LogEvent>> ListLogsAsync(LogQuery query, CancellationToken ct);
}

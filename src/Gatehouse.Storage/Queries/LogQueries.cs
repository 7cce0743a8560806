using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;

namespace Gatehouse.Storage.Queries;

/// <summary>The log search fields of the Management API, and newest-first ordering.</summary>
internal static class LogQueries
{
    public static readonly IReadOnlyDictionary<string, FilterField<LogEventEntity>> Fields =
        new Dictionary<string, FilterField<LogEventEntity>>
        {
            ["type"] = new FilterField<LogEventEntity>.Text(l => l.Type.ToLower()),
            ["user_id"] = new FilterField<LogEventEntity>.Text(l => l.UserId!.ToLower()),
            ["user_name"] = new FilterField<LogEventEntity>.Text(l => l.UserName!.ToLower()),
            ["client_id"] = new FilterField<LogEventEntity>.Text(l => l.ClientId!.ToLower()),
            ["client_name"] = new FilterField<LogEventEntity>.Text(l => l.ClientName!.ToLower()),
            ["connection"] = new FilterField<LogEventEntity>.Text(l => l.ConnectionName!.ToLower()),
            ["connection_id"] = new FilterField<LogEventEntity>.Text(l => l.ConnectionId!.ToLower()),
            ["ip"] = new FilterField<LogEventEntity>.Text(l => l.Ip!.ToLower()),
            ["description"] = new FilterField<LogEventEntity>.Text(l => l.Description!.ToLower()),
            ["date"] = new FilterField<LogEventEntity>.Date(l => l.Date),
        };

    public static IOrderedQueryable<LogEventEntity> NewestFirst(IQueryable<LogEventEntity> logs) =>
        logs.OrderByDescending(l => l.Date).ThenByDescending(l => l.LogId);

    public static IOrderedQueryable<LogEventEntity> OldestFirst(IQueryable<LogEventEntity> logs) =>
        logs.OrderBy(l => l.Date).ThenBy(l => l.LogId);

    /// <summary>Logs strictly after the checkpoint in oldest-first order (newer, or as old with a larger id).</summary>
    public static IQueryable<LogEventEntity> NewerThan(IQueryable<LogEventEntity> logs, string logId, DateTimeOffset? date) =>
        date is { } at
            ? logs.Where(l => l.Date > at || (l.Date == at && string.Compare(l.LogId, logId) > 0))
            : logs.Where(l => string.Compare(l.LogId, logId) > 0);

    /// <summary>Logs strictly after the checkpoint in newest-first order (older, or as old with a smaller id).</summary>
    public static IQueryable<LogEventEntity> OlderThan(IQueryable<LogEventEntity> logs, string logId, DateTimeOffset? date) =>
        date is { } at
            ? logs.Where(l => l.Date < at || (l.Date == at && string.Compare(l.LogId, logId) < 0))
            // An unknown checkpoint still pages: ids are time-ordered, so "older" is "smaller id".
            : logs.Where(l => string.Compare(l.LogId, logId) < 0);
}

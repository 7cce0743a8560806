using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Gatehouse.Storage.Queries;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

internal sealed partial class EfGatehouseStore<TContext>
{
    /// <summary>Committed before it completes, together with the events other requests append at the same time (LogGroupCommit).</summary>
    public Task AppendLogAsync(LogEvent logEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        return logWriter.AppendAsync(LogEventEntity.From(logEvent), ct);
    }

    public Task<LogEvent?> GetLogAsync(string logId, CancellationToken ct) =>
        QueryAsync(async db => (await db.Logs.SingleOrDefaultAsync(l => l.LogId == logId, ct))?.ToRecord(), ct);

    /// <summary>Newest first (or oldest first). With FromLogId: the next PerPage logs after it in that order (Page.Page is ignored).</summary>
    public Task<Page<LogEvent>> ListLogsAsync(LogQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryAsync(async db =>
        {
            IQueryable<LogEventEntity> logs = db.Logs;
            if (query.Filter is { } filter)
                logs = logs.Where(FilterTranslator.Translate(filter, LogQueries.Fields));

            var page = query.Page;
            if (query.FromLogId is { } fromLogId)
            {
                var from = await db.Logs.Where(l => l.LogId == fromLogId).Select(l => (DateTimeOffset?)l.Date).SingleOrDefaultAsync(ct);
                logs = query.OldestFirst ? LogQueries.NewerThan(logs, fromLogId, from) : LogQueries.OlderThan(logs, fromLogId, from);
                page = PageRequest.Window(0, page.PerPage);
            }
            var ordered = query.OldestFirst ? LogQueries.OldestFirst(logs) : LogQueries.NewestFirst(logs);
            return await PageAsync(ordered, page, l => l.ToRecord(), ct);
        }, ct);
    }
}

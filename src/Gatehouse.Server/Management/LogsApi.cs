using System.Text.Json.Nodes;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Management;

/// <summary>/api/v2/logs: the audit events, newest first; offset paging or checkpoint paging (from + take).</summary>
internal static class LogsApi
{
    public static void MapLogs(this RouteGroupBuilder api)
    {
        api.MapGet("/logs", async (HttpContext context, IGatehouseStore store) =>
        {
            var request = context.Request;
            var from = request.Query["from"].ToString() is { Length: > 0 } f ? f : null;
            var take = Paging.QueryInt(request, "take", 1, Paging.MaxPerPage);
            var paging = Paging.From(request);
            var pageRequest = from is not null || take is not null ? new PageRequest(0, take ?? 50) : paging.Request;
            // node-auth0 v4 sends q (Lucene, as for users); Auth0's reference and SDK v5+ send search (log search rules).
            var filter = request.Query["q"].ToString() is { Length: > 0 } q
                ? UserSearch.Parse(q)
                : UserSearch.Parse(request.Query["search"].ToString(), logSearch: true);
            // A checkpoint reads forward, as Auth0's log exporters use it: the logs after `from`, oldest first.
            var sort = request.Query["sort"].ToString();
            var query = new LogQuery(filter, from, pageRequest) { OldestFirst = sort.Length == 0 ? from is not null : OldestFirst(sort) };
            Page<LogEvent> page;
            try
            {
                page = await store.ListLogsAsync(query, context.RequestAborted);
            }
            catch (ArgumentException e)
            {
                throw ManagementException.BadQuery($"Query validation error: '{e.Message}' on property q.");
            }
            return paging.Result("logs", FieldSelection.Apply(page.Items.Select(LogJson.Of), request), page.Total);
        }).WithSummary("Search log events");

        api.MapGet("/logs/{id}", async (string id, HttpContext context, IGatehouseStore store) =>
        {
            var log = (id.Length <= 128 ? await store.GetLogAsync(id, context.RequestAborted) : null)
                ?? throw ManagementException.NotFound("Log not found.", "inexistent_log");
            return Results.Json(FieldSelection.Apply(LogJson.Of(log), context.Request));
        }).WithSummary("Get a log event by id");
    }

    /// <summary>Auth0's log sort: <c>date:-1</c> (newest first, the default) or <c>date:1</c>.</summary>
    public static bool OldestFirst(string sort) => sort switch
    {
        "" or "date:-1" => false,
        "date:1" => true,
        _ => throw ManagementException.BadQuery("Query validation error: 'String does not match pattern ^date:(1|-1)$' on property sort."),
    };
}

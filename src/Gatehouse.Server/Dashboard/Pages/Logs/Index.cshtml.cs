using System.Globalization;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Services;

namespace Gatehouse.Server.Dashboard.Pages.Logs;

/// <summary>The audit log, newest first, filtered by type, connection, user and time (UTC), through the store's own filters.</summary>
public sealed class LogsModel(IGatehouseStore store) : DashboardPageModel
{
    public const int PerPage = 50;

    public IReadOnlyList<LogEvent> Logs { get; private set; } = [];
    public IReadOnlyList<string> ConnectionNames { get; private set; } = [];
    public int Total { get; private set; }
    public int PageNumber { get; private set; }
    public string? Type { get; private set; }
    public string? Connection { get; private set; }
    public string? UserFilter { get; private set; }
    public string? From { get; private set; }
    public string? To { get; private set; }

    public async Task OnGetAsync(string? type, string? connection, string? user, string? from, string? to, int page = 0)
    {
        (Type, Connection, UserFilter, From, To, PageNumber) = (Blank(type), Blank(connection), Blank(user)?.Trim(), Blank(from), Blank(to), Math.Max(0, page));
        var ct = HttpContext.RequestAborted;
        ConnectionNames = (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Items.Select(c => c.Name).ToList();
        Filter? filter = null;
        void And(Filter f) => filter = filter is null ? f : new Filter.And(filter, f);
        if (Type is not null)
            And(new Filter.Match("type", Type, MatchKind.Exact));
        if (Connection is not null)
            And(new Filter.Match("connection", Connection, MatchKind.Exact));
        if (UserFilter is not null)
            And(new Filter.Or(new Filter.Match("user_name", UserFilter, MatchKind.Prefix), new Filter.Match("user_id", UserFilter, MatchKind.Prefix)));
        var fromDate = Date(From, "from");
        var toDate = Date(To, "to");
        if (Errors.Count == 0 && (fromDate is not null || toDate is not null))
            And(new Filter.Range("date", fromDate, toDate, true));
        if (Errors.Count > 0)
            return;
        var result = await store.ListLogsAsync(new LogQuery(filter, null, new PageRequest(PageNumber, PerPage)), ct);
        (Logs, Total) = (result.Items, result.Total);
    }

    /// <summary>datetime-local (no zone) read as UTC, handed to the store as ISO 8601.</summary>
    private string? Date(string? value, string field)
    {
        if (value is null)
            return null;
        if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            return parsed.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        Errors[field] = "Enter a date and time, e.g. 2026-01-31T12:00.";
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public string PageLink(int page) =>
        "/dashboard/logs?" + string.Join('&', new (string, string?)[] { ("type", Type), ("connection", Connection), ("user", UserFilter), ("from", From), ("to", To), ("page", page.ToString(CultureInfo.InvariantCulture)) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));

    public static string Elapsed(LogEvent log) => LogLabels.ElapsedMs(log) is { } ms ? $"{ms} ms" : "";
}

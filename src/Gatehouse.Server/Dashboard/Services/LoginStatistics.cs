using System.Globalization;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Dashboard.Services;

/// <summary>A window of the home page's charts: its length and the width of one bar.</summary>
public sealed record ChartWindow(string Key, string Label, TimeSpan Length, TimeSpan Bucket, string BucketFormat)
{
    public static readonly IReadOnlyList<ChartWindow> All =
    [
        new("1h", "Last hour", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), "HH:mm"),
        new("24h", "Last 24 hours", TimeSpan.FromHours(24), TimeSpan.FromHours(1), "HH:00"),
        new("7d", "Last 7 days", TimeSpan.FromDays(7), TimeSpan.FromDays(1), "MM-dd"),
    ];

    public static ChartWindow Find(string? key) => All.FirstOrDefault(w => w.Key == key) ?? All[1];
}

/// <summary>Logins and failures per time bucket, by connection and by reason, and upstream latency per connection, from the audit log.</summary>
public sealed record LoginStatistics(
    IReadOnlyList<string> Buckets,
    IReadOnlyList<ChartSeries> LoginsByConnection,
    IReadOnlyList<ChartSeries> FailuresByReason,
    IReadOnlyList<string> LatencyConnections,
    IReadOnlyList<ChartSeries> Latency,
    int Logins,
    int Failures,
    bool Truncated)
{
    /// <summary>At most this many events are read for one window (newest first); the page says when it stopped.</summary>
    public const int MaxEvents = 20_000;

    public static async Task<LoginStatistics> LoadAsync(IGatehouseStore store, ChartWindow window, DateTimeOffset now, CancellationToken ct)
    {
        var start = Floor(now - window.Length + window.Bucket, window.Bucket);
        var count = (int)Math.Ceiling((now - start) / window.Bucket);
        Filter types = LogLabels.Logins.Concat(LogLabels.FailedLogins)
            .Select(t => (Filter)new Filter.Match("type", t, MatchKind.Exact))
            .Aggregate((a, b) => new Filter.Or(a, b));
        var filter = new Filter.And(types, new Filter.Range("date", start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), null, true));
        var page = await store.ListLogsAsync(new LogQuery(filter, null, new PageRequest(0, MaxEvents)), ct);
        var events = page.Items;

        int Index(LogEvent e) => Math.Clamp((int)((e.Date - start) / window.Bucket), 0, count - 1);
        List<ChartSeries> Series(IEnumerable<LogEvent> matching, Func<LogEvent, string> key) =>
            matching.GroupBy(key).OrderByDescending(g => g.Count()).Select(g =>
            {
                var values = new double[count];
                foreach (var e in g)
                    values[Index(e)]++;
                return new ChartSeries(g.Key, values);
            }).ToList();

        var logins = events.Where(e => LogLabels.Logins.Contains(e.Type)).ToList();
        var failures = events.Where(e => LogLabels.FailedLogins.Contains(e.Type)).ToList();
        var timed = events.Where(e => e.ConnectionName is not null && LogLabels.ElapsedMs(e) is not null)
            .GroupBy(e => e.ConnectionName!).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var latencyNames = timed.Select(g => g.Key).ToList();
        var sorted = timed.Select(g => g.Select(e => (double)LogLabels.ElapsedMs(e)!.Value).Order().ToList()).ToList();
        var latency = new List<ChartSeries>
        {
            new("p50", sorted.Select(v => Percentile(v, 0.5)).ToList()),
            new("p95", sorted.Select(v => Percentile(v, 0.95)).ToList()),
            new("max", sorted.Select(v => v[^1]).ToList()),
        };
        var buckets = Enumerable.Range(0, count).Select(i => (start + i * window.Bucket).UtcDateTime.ToString(window.BucketFormat, CultureInfo.InvariantCulture)).ToList();
        return new LoginStatistics(buckets, Series(logins, e => e.ConnectionName ?? "(none)"),
            Series(failures, e => e.Description ?? LogLabels.Describe(e.Type)), latencyNames, latency, logins.Count, failures.Count, page.Total > events.Count);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    private static DateTimeOffset Floor(DateTimeOffset value, TimeSpan bucket) => new(value.UtcTicks - value.UtcTicks % bucket.Ticks, TimeSpan.Zero);
}

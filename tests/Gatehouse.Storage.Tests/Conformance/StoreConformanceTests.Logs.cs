using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>Logs with time-ordered ids (the id grows with the date), all under a client id of their own.</summary>
    private async Task<(string ClientId, List<LogEvent> Logs)> SeedLogsAsync(int count, Func<int, string>? type = null)
    {
        var clientId = Unique("cl_");
        var prefix = Unique("log");
        var logs = new List<LogEvent>();
        for (var i = 0; i < count; i++)
        {
            // Pairs share a date, so the id decides their order.
            var log = Log($"{prefix}-{i:D4}", T0.AddSeconds(i / 2), type?.Invoke(i) ?? "fp", clientId);
            await Store.AppendLogAsync(log, Ct);
            logs.Add(log);
        }
        return (clientId, logs);
    }

    private Task<Page<LogEvent>> ListLogsAsync(Filter filter, string? from, PageRequest page) =>
        Store.ListLogsAsync(new LogQuery(filter, from, page), Ct);

    [Fact]
    public async Task Log_round_trips_and_its_id_is_unique()
    {
        var log = Log(Unique("log"), T0, "sepft", Unique("cl_"));
        await Store.AppendLogAsync(log, Ct);
        AssertSame(log, await Store.GetLogAsync(log.LogId, Ct));
        Assert.Null(await Store.GetLogAsync(Unique("log"), Ct));
        await AssertStoreError(StoreError.AlreadyExists, () => Store.AppendLogAsync(log with { Type = "fp" }, Ct));
    }

    [Fact]
    public async Task Logs_appended_at_once_are_each_committed_when_their_append_completes_and_a_duplicate_fails_alone()
    {
        var clientId = Unique("cl_");
        var taken = Log(Unique("log"), T0, "s", clientId);
        await Store.AppendLogAsync(taken, Ct);

        // Many appends in flight together are written in shared batches; one of them repeats a stored id.
        var logs = Enumerable.Range(0, 200).Select(i => Log(Unique("log"), T0.AddSeconds(i), "fp", clientId)).ToList();
        logs.Insert(100, taken with { Type = "f" });
        var appends = logs.Select(log => Store.AppendLogAsync(log, Ct)).ToList();

        for (var i = 0; i < logs.Count; i++)
        {
            if (logs[i].LogId == taken.LogId)
            {
                await AssertStoreError(StoreError.AlreadyExists, () => appends[i]);
                continue;
            }
            await appends[i];
            AssertSame(logs[i], await Store.GetLogAsync(logs[i].LogId, Ct));
        }
        Assert.Equal("s", (await Store.GetLogAsync(taken.LogId, Ct))!.Type);
        Assert.Equal(201, (await ListLogsAsync(Exact("client_id", clientId), null, PageRequest.All)).Total);
    }

    [Fact]
    public async Task Logs_list_newest_first_with_offset_paging()
    {
        var (clientId, logs) = await SeedLogsAsync(5);
        var newestFirst = logs.AsEnumerable().Reverse().Select(l => l.LogId).ToList();

        var all = await ListLogsAsync(Exact("client_id", clientId), null, PageRequest.All);
        Assert.Equal(newestFirst, all.Items.Select(l => l.LogId));
        Assert.Equal(5, all.Total);

        var second = await ListLogsAsync(Exact("client_id", clientId), null, new PageRequest(1, 2));
        Assert.Equal(newestFirst.Skip(2).Take(2), second.Items.Select(l => l.LogId));
        Assert.Equal(5, second.Total);
    }

    [Fact]
    public async Task Logs_checkpoint_paging_walks_every_older_log_exactly_once()
    {
        var (clientId, logs) = await SeedLogsAsync(7);
        var newestFirst = logs.AsEnumerable().Reverse().Select(l => l.LogId).ToList();

        var seen = new List<string>();
        string? from = null;
        while (true)
        {
            // Page.Page is ignored with a checkpoint: only PerPage counts.
            var page = await ListLogsAsync(Exact("client_id", clientId), from, new PageRequest(from is null ? 0 : 9, 3));
            if (page.Items.Count == 0)
                break;
            seen.AddRange(page.Items.Select(l => l.LogId));
            from = page.Items[^1].LogId;
        }
        Assert.Equal(newestFirst, seen);

        var afterThird = await ListLogsAsync(Exact("client_id", clientId), newestFirst[2], new PageRequest(0, 100));
        Assert.Equal(newestFirst.Skip(3), afterThird.Items.Select(l => l.LogId));
    }

    [Fact]
    public async Task Logs_filter_by_fields_ignoring_case()
    {
        var (clientId, logs) = await SeedLogsAsync(4, i => i % 2 == 0 ? "fp" : "s");
        var mine = Exact("client_id", clientId.ToUpperInvariant());

        var failures = await ListLogsAsync(new Filter.And(mine, Exact("type", "FP")), null, PageRequest.All);
        Assert.Equal([logs[2].LogId, logs[0].LogId], failures.Items.Select(l => l.LogId));
        var byUser = await ListLogsAsync(new Filter.And(mine, Exact("user_name", "ada@example.com")), null, PageRequest.All);
        Assert.Equal(4, byUser.Total);
        var either = await ListLogsAsync(new Filter.And(mine, new Filter.Or(Exact("type", "s"), Prefix("description", "nothing"))), null, PageRequest.All);
        Assert.Equal([logs[3].LogId, logs[1].LogId], either.Items.Select(l => l.LogId));
        var byConnection = await ListLogsAsync(new Filter.And(mine, Exact("connection", "username-password-authentication")), null, PageRequest.All);
        Assert.Equal(4, byConnection.Total);

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => ListLogsAsync(Exact("hostname", "x"), null, PageRequest.All));
        Assert.Contains("hostname", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_list_oldest_first_and_page_forward_from_a_checkpoint()
    {
        var (clientId, logs) = await SeedLogsAsync(5);
        var oldestFirst = logs.Select(l => l.LogId).ToList();
        var all = await Store.ListLogsAsync(new LogQuery(Exact("client_id", clientId), null, PageRequest.All) { OldestFirst = true }, Ct);
        Assert.Equal(oldestFirst, all.Items.Select(l => l.LogId));

        var newer = await Store.ListLogsAsync(new LogQuery(Exact("client_id", clientId), oldestFirst[1], new PageRequest(0, 2)) { OldestFirst = true }, Ct);
        Assert.Equal(oldestFirst.Skip(2).Take(2), newer.Items.Select(l => l.LogId));
    }

    [Fact]
    public async Task Logs_filter_by_date_ranges()
    {
        var (clientId, logs) = await SeedLogsAsync(6);
        var mine = Exact("client_id", clientId);
        string At(int seconds) => T0.AddSeconds(seconds).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

        var inclusive = await ListLogsAsync(new Filter.And(mine, new Filter.Range("date", At(1), At(2), Inclusive: true)), null, PageRequest.All);
        Assert.Equal([logs[5].LogId, logs[4].LogId, logs[3].LogId, logs[2].LogId], inclusive.Items.Select(l => l.LogId));
        var exclusive = await ListLogsAsync(new Filter.And(mine, new Filter.Range("date", At(0), At(2), Inclusive: false)), null, PageRequest.All);
        Assert.Equal([logs[3].LogId, logs[2].LogId], exclusive.Items.Select(l => l.LogId));
        var open = await ListLogsAsync(new Filter.And(mine, new Filter.Range("date", At(2), null, Inclusive: true)), null, PageRequest.All);
        Assert.Equal(2, open.Total);

        await Assert.ThrowsAsync<ArgumentException>(() => ListLogsAsync(new Filter.Range("type", "a", "b", true), null, PageRequest.All));
        await Assert.ThrowsAsync<ArgumentException>(() => ListLogsAsync(new Filter.Range("date", "yesterday", null, true), null, PageRequest.All));
        await Assert.ThrowsAsync<ArgumentException>(() => ListLogsAsync(Exact("date", At(1)), null, PageRequest.All));
    }
}

using Gatehouse.Core.Devices;
using Gatehouse.Core.Security;
using Gatehouse.SharedState.Tests.Backends;

namespace Gatehouse.SharedState.Tests.Conformance;

/// <summary>
/// What every <see cref="IDeviceActivationVisitStore"/> does: a visit opened on one node is continued on another, its
/// attempt cap holds exactly when the submits race over two nodes, and exactly one submit closes it.
/// </summary>
public abstract class DeviceActivationVisitStoreConformance(ISharedStateBackend backend)
{
    private readonly IDeviceActivationVisitStore store = backend.Node().ActivationVisits;

    private static DateTimeOffset Later => DateTimeOffset.UtcNow.AddMinutes(15);

    private async Task<DeviceActivationVisit> OpenAsync(string? prefilled = "BCDF-GHJK")
    {
        var visit = new DeviceActivationVisit(Secrets.RandomToken(32), prefilled, 0, null);
        await store.SaveAsync(visit, Later, default);
        return visit;
    }

    [Fact]
    public async Task A_visit_opened_on_one_node_is_found_matched_and_closed_once_on_another()
    {
        var visit = await OpenAsync();
        var other = backend.Node().ActivationVisits;
        Assert.Equal(visit, await other.FindAsync(visit.Id, default));
        Assert.True(await other.TryCountAttemptAsync(visit.Id, 5, Later, default));
        await other.MatchAsync(visit.Id, "hash-1", Later, default);
        Assert.Equal(visit with { Attempts = 1, MatchedHash = "hash-1" }, await store.FindAsync(visit.Id, default));

        var closes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? store : other).CloseAsync(visit.Id, default))));
        Assert.Single(closes, closed => closed);
        Assert.Null(await store.FindAsync(visit.Id, default));
    }

    [Fact]
    public async Task A_visit_without_a_prefilled_code_round_trips()
    {
        var visit = await OpenAsync(prefilled: null);
        Assert.Equal(visit, await backend.Node().ActivationVisits.FindAsync(visit.Id, default));
    }

    [Fact]
    public async Task Attempts_raced_over_two_nodes_stop_exactly_at_the_cap()
    {
        var visit = await OpenAsync();
        IDeviceActivationVisitStore[] nodes = [backend.Node().ActivationVisits, backend.Node().ActivationVisits];
        var counted = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => nodes[i % 2].TryCountAttemptAsync(visit.Id, 5, Later, default))));
        Assert.Equal(5, counted.Count(c => c));
        Assert.Equal(5, (await store.FindAsync(visit.Id, default))!.Attempts);
    }

    [Fact]
    public async Task A_gone_visit_counts_and_matches_nothing()
    {
        var id = Secrets.RandomToken(32);
        Assert.False(await store.TryCountAttemptAsync(id, 5, Later, default));
        await store.MatchAsync(id, "hash", Later, default);
        Assert.Null(await store.FindAsync(id, default));
        Assert.False(await store.CloseAsync(id, default));
    }

    [Fact]
    public async Task A_visit_is_forgotten_after_its_expiry()
    {
        var visit = new DeviceActivationVisit(Secrets.RandomToken(32), null, 0, null);
        await store.SaveAsync(visit, DateTimeOffset.UtcNow.AddMilliseconds(200), default);
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        Assert.Null(await store.FindAsync(visit.Id, default));
    }
}

public sealed class InMemoryDeviceActivationVisitStoreTests(InMemoryBackend backend) : DeviceActivationVisitStoreConformance(backend), IClassFixture<InMemoryBackend>;

public sealed class RedisDeviceActivationVisitStoreTests(RedisBackend backend) : DeviceActivationVisitStoreConformance(backend), IClassFixture<RedisBackend>;

using Gatehouse.Core.Protection;
using Gatehouse.SharedState.Tests.Backends;

namespace Gatehouse.SharedState.Tests.Conformance;

/// <summary>What every <see cref="IAttackCounters"/> does, in memory or in Redis. Expiry tests wait real time with wide margins.</summary>
public abstract class AttackCountersConformance(ISharedStateBackend backend)
{
    private static readonly TimeSpan Long = TimeSpan.FromHours(1);

    private readonly IAttackCounters counters = backend.Node().Counters;

    private static string NewKey() => "bf|con_test|" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Increment_counts_up_and_get_reads_the_count_and_when_it_last_grew()
    {
        var key = NewKey();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        Assert.Equal(1, (await counters.IncrementAsync(key, Long, 5, default)).Count);
        Assert.Equal(2, (await counters.IncrementAsync(key, Long, 5, default)).Count);
        var count = await counters.GetAsync(key, default);
        Assert.Equal(2, count.Count);
        Assert.InRange(count.LastAt!.Value, before, DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task An_unknown_key_has_no_count_bucket_or_members()
    {
        var key = NewKey();
        Assert.Equal(AttackCount.None, await counters.GetAsync(key, default));
        Assert.Equal(0, await counters.GetBucketAsync(key, TimeSpan.FromSeconds(1), default));
        Assert.Empty(await counters.GetMembersAsync(key, default));
    }

    [Fact]
    public async Task Reset_forgets_a_count_a_bucket_and_a_set()
    {
        var (count, bucket, set) = (NewKey(), NewKey(), NewKey());
        await counters.IncrementAsync(count, Long, 5, default);
        await counters.FillBucketAsync(bucket, Long, 5, default);
        await counters.AddMemberAsync(set, "a", Long, default);
        foreach (var key in new[] { count, bucket, set })
            await counters.ResetAsync(key, default);
        Assert.Equal(AttackCount.None, await counters.GetAsync(count, default));
        Assert.Equal(0, await counters.GetBucketAsync(bucket, Long, default));
        Assert.Empty(await counters.GetMembersAsync(set, default));
    }

    [Fact]
    public async Task A_count_expires_after_its_expiry()
    {
        var key = NewKey();
        await counters.IncrementAsync(key, TimeSpan.FromMilliseconds(200), 5, default);
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        Assert.Equal(AttackCount.None, await counters.GetAsync(key, default));
    }

    [Fact]
    public async Task A_shorter_expiry_never_cuts_a_longer_one()
    {
        var key = NewKey();
        await counters.IncrementAsync(key, Long, 5, default);
        await counters.IncrementAsync(key, TimeSpan.FromMilliseconds(100), 5, default);
        await Task.Delay(TimeSpan.FromMilliseconds(800));
        Assert.Equal(2, (await counters.GetAsync(key, default)).Count);
    }

    [Fact]
    public async Task A_bucket_fills_by_one_and_reads_its_level()
    {
        var key = NewKey();
        for (var i = 1; i <= 3; i++)
            Assert.InRange(await counters.FillBucketAsync(key, Long, double.PositiveInfinity, default), i - 0.01, i);
        Assert.InRange(await counters.GetBucketAsync(key, Long, default), 2.99, 3);
    }

    [Fact]
    public async Task A_bucket_drains_to_empty()
    {
        var key = NewKey();
        var drain = TimeSpan.FromMilliseconds(100);
        for (var i = 0; i < 3; i++)
            await counters.FillBucketAsync(key, drain, double.PositiveInfinity, default);
        await Task.Delay(TimeSpan.FromMilliseconds(1000));
        Assert.Equal(0, await counters.GetBucketAsync(key, drain, default));
    }

    [Fact]
    public async Task A_set_lists_members_oldest_first_and_a_re_add_moves_a_member_last()
    {
        var key = NewKey();
        foreach (var member in new[] { "a", "b", "a" })
            await counters.AddMemberAsync(key, member, Long, default);
        Assert.Equal(["b", "a"], await counters.GetMembersAsync(key, default));
    }

    [Fact]
    public async Task A_set_keeps_its_most_recently_added_members()
    {
        var key = NewKey();
        for (var i = 0; i < IAttackCounters.MaxMembers + 6; i++)
            await counters.AddMemberAsync(key, "m" + i, Long, default);
        var members = await counters.GetMembersAsync(key, default);
        Assert.Equal(Enumerable.Range(6, IAttackCounters.MaxMembers).Select(i => "m" + i), members);
    }

    [Fact]
    public async Task A_set_expires_after_its_expiry()
    {
        var key = NewKey();
        await counters.AddMemberAsync(key, "a", TimeSpan.FromMilliseconds(200), default);
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        Assert.Empty(await counters.GetMembersAsync(key, default));
    }

    [Fact]
    public async Task Parallel_increments_from_two_nodes_count_exactly()
    {
        // Two nodes (two multiplexers on Redis) hammer one key: every increment is counted once, none is lost.
        var key = NewKey();
        var nodes = new[] { backend.Node().Counters, backend.Node().Counters };
        const int perNode = 200;
        var counts = await Task.WhenAll(Enumerable.Range(0, 2 * perNode).Select(i =>
            Task.Run(async () => (await nodes[i % 2].IncrementAsync(key, Long, 10, default)).Count)));
        Assert.Equal(Enumerable.Range(1, 2 * perNode).Select(i => (long)i), counts.Order());
        Assert.Equal(2 * perNode, (await counters.GetAsync(key, default)).Count);
    }

    [Fact]
    public async Task Parallel_fills_from_two_nodes_all_land_in_the_bucket()
    {
        var key = NewKey();
        var nodes = new[] { backend.Node().Counters, backend.Node().Counters };
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(async () => await nodes[i % 2].FillBucketAsync(key, Long, double.PositiveInfinity, default))));
        Assert.InRange(await counters.GetBucketAsync(key, Long, default), 99.9, 100);
    }
}

public sealed class InMemoryAttackCountersTests(InMemoryBackend backend) : AttackCountersConformance(backend), IClassFixture<InMemoryBackend>;

public sealed class RedisAttackCountersTests(RedisBackend backend) : AttackCountersConformance(backend), IClassFixture<RedisBackend>;

using Gatehouse.Core.Protection;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Core.Tests;

/// <summary>
/// Issue 14, finding 6: what a flood of made-up keys does to the in-memory counters. Driven directly, on a fake clock,
/// so a million keys take seconds and the outcome never depends on timing.
/// </summary>
public class AttackCounterFloodTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);

    [Fact]
    public async Task A_flood_of_a_million_identifiers_neither_lifts_a_real_block_nor_grows_memory()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var counters = new InMemoryAttackCounters(time, new ProtectionOptions { MaxCounters = 10_000 });
        const string block = "bf|con_db|victim%40example.com|203.0.113.7";
        for (var i = 0; i < 10; i++)
            await counters.IncrementAsync(block, Month, blockAt: 10, Ct);
        const string guard = "up|user|contoso|victim%40example.com|u";
        await counters.IncrementAsync(guard, Month, blockAt: 1, Ct);

        var most = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            if (i % 1000 == 0)
            {
                time.Advance(TimeSpan.FromSeconds(1)); // every made-up count outlives the block: nearest-expiry eviction would pick the block
                most = Math.Max(most, counters.Units);
            }
            await counters.IncrementAsync($"bf|con_db|made-up-{i}%40example.com|198.51.100.1", Month, blockAt: 10, Ct);
            await counters.AddMemberAsync("bfidx|victim%40example.com", $"{{\"c\":\"con_db\",\"ip\":\"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}\"}}", Month, Ct);
        }

        Assert.Equal(10, (await counters.GetAsync(block, Ct)).Count);
        Assert.Equal(1, (await counters.GetAsync(guard, Ct)).Count);
        Assert.InRange(Math.Max(most, counters.Units), 1, 10_000);
        Assert.Equal(IAttackCounters.MaxMembers, (await counters.GetMembersAsync("bfidx|victim%40example.com", Ct)).Count);
        Assert.Contains("{\"c\":\"con_db\",\"ip\":\"10.15.66.63\"}", await counters.GetMembersAsync("bfidx|victim%40example.com", Ct)); // the newest stay
    }

    [Fact]
    public async Task When_blocks_alone_fill_the_room_new_counts_share_overflow_slots_and_never_count_low()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var counters = new InMemoryAttackCounters(time, new ProtectionOptions { MaxCounters = 100 });
        for (var i = 0; i < 100; i++)
            await counters.IncrementAsync($"block{i}", Month, blockAt: 1, Ct);

        // A thousand new identifiers, each failing three times: none gets a key of its own, and none counts low.
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 1000; i++)
                await counters.IncrementAsync($"new{i}", Month, blockAt: 10, Ct);
        }
        for (var i = 0; i < 1000; i++)
            Assert.True((await counters.GetAsync($"new{i}", Ct)).Count >= 3);
        await counters.AddMemberAsync("set", "member", Month, Ct);
        Assert.Empty(await counters.GetMembersAsync("set", Ct)); // a set is only a listing: not kept without room

        for (var i = 0; i < 100; i++)
            Assert.Equal(1, (await counters.GetAsync($"block{i}", Ct)).Count);
        Assert.InRange(counters.Units, 100, 100 + InMemoryAttackCounters.OverflowSlots);

        // Room again (a block lifted): a key leaves its slot with the count it had there.
        await counters.ResetAsync("block0", Ct);
        var moved = await counters.IncrementAsync("new7", Month, blockAt: 10, Ct);
        Assert.True(moved.Count >= 4);
        Assert.Equal(moved.Count, (await counters.GetAsync("new7", Ct)).Count);
    }

    [Fact]
    public async Task Expired_blocks_free_their_room()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var counters = new InMemoryAttackCounters(time, new ProtectionOptions { MaxCounters = 100 });
        for (var i = 0; i < 100; i++)
            await counters.IncrementAsync($"block{i}", TimeSpan.FromMinutes(1), blockAt: 1, Ct);
        time.Advance(TimeSpan.FromMinutes(1));
        await counters.IncrementAsync("fresh", Month, blockAt: 10, Ct);
        Assert.Equal(1, counters.Units);
        Assert.Equal(1, (await counters.GetAsync("fresh", Ct)).Count);
    }
}

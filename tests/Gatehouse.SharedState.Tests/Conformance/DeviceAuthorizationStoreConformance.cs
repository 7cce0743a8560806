using Gatehouse.Core.Authorization;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Security;
using Gatehouse.SharedState.Tests.Backends;

namespace Gatehouse.SharedState.Tests.Conformance;

/// <summary>
/// What every <see cref="IDeviceAuthorizationStore"/> does: the value round-trips whole, the user code finds only a live
/// code until it is used, and the device flow's transitions (<see cref="DeviceTransitions"/>) raced across two nodes
/// (two multiplexers on Redis) have exactly one winner.
/// </summary>
public abstract class DeviceAuthorizationStoreConformance(ISharedStateBackend backend)
{
    private readonly IDeviceAuthorizationStore store = backend.Node().Devices;

    internal static DeviceAuthorization New(TimeSpan lifetime, int intervalSeconds = 5) =>
        new(Secrets.HashToken(Secrets.RandomToken(32)), UserCodes.New(), "tv", "contoso", "megan@contoso.example", "openid offline_access",
            "https://api.example", DateTimeOffset.UtcNow.Add(lifetime), intervalSeconds);

    private static MfaBinding Binding() =>
        new("tv", "con_1", "contoso", "Megan@Contoso.example", "tid/oid", "https://api.example", "openid", DateTimeOffset.UtcNow.AddMinutes(10));

    private IDeviceAuthorizationStore[] TwoNodes() => [backend.Node().Devices, backend.Node().Devices];

    [Fact]
    public async Task Every_field_survives_the_round_trip_including_the_mfa_continuation_and_the_denial_description()
    {
        var device = New(TimeSpan.FromMinutes(15)) with
        {
            MfaContinuation = Binding(),
            Upstream = new UpstreamDeviceFlow("upstream-device-code", 5, DateTimeOffset.UtcNow),
        };
        Assert.True(await store.TryAddAsync(device, default));
        var denied = await store.UpdateAsync(device.DeviceCodeHash, a => DeviceTransitions.Deny(a, "access rule: r1", "Not from this office."), default);

        var found = await backend.Node().Devices.FindAsync(device.DeviceCodeHash, default);
        Assert.Equal(denied!.After, found);
        Assert.Equal(device.MfaContinuation, found!.MfaContinuation);
        Assert.Equal("Not from this office.", found.DenialDescription);
        Assert.Equal("upstream-device-code", found.Upstream!.DeviceCode);
    }

    [Fact]
    public async Task A_user_code_finds_its_authorization_on_another_node_until_it_is_forgotten()
    {
        var device = New(TimeSpan.FromMinutes(15));
        Assert.True(await store.TryAddAsync(device, default));
        var other = backend.Node().Devices;
        Assert.Equal(device, await other.FindByUserCodeAsync(device.UserCode, default));
        await other.ForgetUserCodeAsync(device.UserCode, default);
        Assert.Null(await store.FindByUserCodeAsync(device.UserCode, default));
        Assert.NotNull(await store.FindAsync(device.DeviceCodeHash, default));
    }

    [Fact]
    public async Task A_live_user_code_is_never_shared_and_a_brokered_code_is_not_indexed()
    {
        var first = New(TimeSpan.FromMinutes(15));
        Assert.True(await store.TryAddAsync(first, default));
        Assert.False(await backend.Node().Devices.TryAddAsync(New(TimeSpan.FromMinutes(15)) with { UserCode = first.UserCode }, default));

        var brokered = New(TimeSpan.FromMinutes(15)) with { Upstream = new UpstreamDeviceFlow("up", 5, DateTimeOffset.UtcNow) };
        Assert.True(await store.TryAddAsync(brokered, default));
        Assert.Null(await store.FindByUserCodeAsync(brokered.UserCode, default));
    }

    [Fact]
    public async Task A_user_code_stops_finding_its_authorization_when_the_code_expires()
    {
        var device = New(TimeSpan.FromMilliseconds(300));
        Assert.True(await store.TryAddAsync(device, default));
        await Task.Delay(TimeSpan.FromMilliseconds(1300));
        Assert.Null(await store.FindByUserCodeAsync(device.UserCode, default));
        // Remembered past its end, so a late poll hears expired_token rather than an unknown code.
        Assert.NotNull(await store.FindAsync(device.DeviceCodeHash, default));
    }

    [Fact]
    public async Task An_unknown_code_updates_nothing()
    {
        Assert.Null(await store.UpdateAsync(Secrets.HashToken("unknown"), a => a with { Status = DeviceStatus.Redeemed }, default));
        Assert.Null(await store.FindAsync(Secrets.HashToken("unknown"), default));
    }

    [Fact]
    public async Task An_approval_and_a_denial_racing_on_two_nodes_have_exactly_one_winner()
    {
        for (var round = 0; round < 10; round++)
        {
            var device = New(TimeSpan.FromMinutes(15));
            Assert.True(await store.TryAddAsync(device, default));
            var nodes = TwoNodes();
            var now = DateTimeOffset.UtcNow;
            var changes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => i % 2 == 0
                ? nodes[0].UpdateAsync(device.DeviceCodeHash, a => DeviceTransitions.Approve(a, "user" + i, "contoso", null, now, now), default)
                : nodes[1].UpdateAsync(device.DeviceCodeHash, a => DeviceTransitions.Deny(a, "cancelled " + i, null), default))));

            var winners = changes.Where(c => c!.Before.Status == DeviceStatus.Pending && c.After.Status != DeviceStatus.Pending).ToList();
            var winner = Assert.Single(winners)!;
            Assert.Equal(winner.After, await store.FindAsync(device.DeviceCodeHash, default));
        }
    }

    [Fact]
    public async Task An_approved_code_polled_concurrently_on_two_nodes_is_redeemed_once()
    {
        for (var round = 0; round < 10; round++)
        {
            var now = DateTimeOffset.UtcNow;
            var device = New(TimeSpan.FromMinutes(15)) with { Status = DeviceStatus.Approved, UserId = "auth0|1", SignedInConnection = "contoso" };
            Assert.True(await store.TryAddAsync(device, default));
            var nodes = TwoNodes();
            var changes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
                nodes[i % 2].UpdateAsync(device.DeviceCodeHash, a => DeviceTransitions.Poll(a, "tv", now).Next, default))));

            var steps = changes.Select(c => DeviceTransitions.Poll(c!.Before, "tv", now).Step).ToList();
            Assert.Single(steps, s => s == DevicePollStep.Approved);
            Assert.Equal(DeviceStatus.Redeemed, (await store.FindAsync(device.DeviceCodeHash, default))!.Status);
        }
    }

    [Fact]
    public async Task A_poll_on_one_node_makes_a_poll_on_another_within_the_interval_slow_down()
    {
        var device = New(TimeSpan.FromMinutes(15), intervalSeconds: 5);
        Assert.True(await store.TryAddAsync(device, default));
        var (a, b) = (backend.Node().Devices, backend.Node().Devices);
        var now = DateTimeOffset.UtcNow;

        var first = await a.UpdateAsync(device.DeviceCodeHash, d => DeviceTransitions.Poll(d, "tv", now).Next, default);
        var second = await b.UpdateAsync(device.DeviceCodeHash, d => DeviceTransitions.Poll(d, "tv", now.AddSeconds(2)).Next, default);
        var third = await a.UpdateAsync(device.DeviceCodeHash, d => DeviceTransitions.Poll(d, "tv", now.AddSeconds(8)).Next, default);

        Assert.Equal(DevicePollStep.Pending, DeviceTransitions.Poll(first!.Before, "tv", now).Step);
        Assert.Equal(DevicePollStep.SlowDown, DeviceTransitions.Poll(second!.Before, "tv", now.AddSeconds(2)).Step);
        // slow_down records the poll too (RFC 8628 §3.5): the interval runs from the last poll, whichever node took it.
        Assert.Equal(DevicePollStep.Pending, DeviceTransitions.Poll(third!.Before, "tv", now.AddSeconds(8)).Step);
    }

    [Fact]
    public async Task Concurrent_polls_on_two_nodes_within_one_interval_let_exactly_one_through()
    {
        var device = New(TimeSpan.FromMinutes(15), intervalSeconds: 5);
        Assert.True(await store.TryAddAsync(device, default));
        var nodes = TwoNodes();
        var now = DateTimeOffset.UtcNow;
        var changes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            nodes[i % 2].UpdateAsync(device.DeviceCodeHash, a => DeviceTransitions.Poll(a, "tv", now).Next, default))));
        var steps = changes.Select(c => DeviceTransitions.Poll(c!.Before, "tv", now).Step).ToList();
        Assert.Single(steps, s => s == DevicePollStep.Pending);
        Assert.Equal(7, steps.Count(s => s == DevicePollStep.SlowDown));
    }
}

public sealed class InMemoryDeviceAuthorizationStoreTests(InMemoryBackend backend) : DeviceAuthorizationStoreConformance(backend), IClassFixture<InMemoryBackend>;

public sealed class RedisDeviceAuthorizationStoreTests(RedisBackend backend) : DeviceAuthorizationStoreConformance(backend), IClassFixture<RedisBackend>;

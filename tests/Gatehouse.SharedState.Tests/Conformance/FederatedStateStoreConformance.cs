using Gatehouse.Core.Authorization;
using Gatehouse.Core.Security;
using Gatehouse.SharedState.Tests.Backends;

namespace Gatehouse.SharedState.Tests.Conformance;

/// <summary>What every <see cref="IFederatedStateStore"/> does: a state saved where the browser left is taken once where it comes back.</summary>
public abstract class FederatedStateStoreConformance(ISharedStateBackend backend)
{
    private readonly IFederatedStateStore states = backend.Node().FederatedStates;

    private static FederatedState NewState(TimeSpan lifetime) => new(Secrets.RandomToken(32), "tx_1", "contoso", Secrets.RandomToken(32),
        Secrets.RandomToken(32), "megan@contoso.example", "login", DateTimeOffset.UtcNow + lifetime, Secrets.HashToken("browser"));

    [Fact]
    public async Task A_state_saved_on_one_node_is_taken_once_on_another()
    {
        var state = NewState(TimeSpan.FromMinutes(15));
        await states.SaveAsync(state, default);
        var other = backend.Node().FederatedStates;
        Assert.Equal(state, await other.TakeAsync(state.State, default));
        Assert.Null(await other.TakeAsync(state.State, default));
        Assert.Null(await states.TakeAsync(state.State, default));
    }

    [Fact]
    public async Task An_unknown_state_is_nothing()
    {
        Assert.Null(await states.TakeAsync("unknown", default));
    }

    [Fact]
    public async Task A_state_expires()
    {
        var state = NewState(TimeSpan.FromMilliseconds(200));
        await states.SaveAsync(state, default);
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        Assert.Null(await states.TakeAsync(state.State, default));
    }

    [Fact]
    public async Task Two_callbacks_racing_on_two_nodes_take_the_state_once()
    {
        var state = NewState(TimeSpan.FromMinutes(15));
        await states.SaveAsync(state, default);
        var nodes = new[] { backend.Node().FederatedStates, backend.Node().FederatedStates };
        var taken = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () => await nodes[i % 2].TakeAsync(state.State, default))));
        Assert.Single(taken, t => t is not null);
    }
}

public sealed class InMemoryFederatedStateStoreTests(InMemoryBackend backend) : FederatedStateStoreConformance(backend), IClassFixture<InMemoryBackend>;

public sealed class RedisFederatedStateStoreTests(RedisBackend backend) : FederatedStateStoreConformance(backend), IClassFixture<RedisBackend>;

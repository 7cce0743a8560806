using Gatehouse.Core.Authorization;
using Gatehouse.Core.Security;
using Gatehouse.SharedState.Tests.Backends;

namespace Gatehouse.SharedState.Tests.Conformance;

/// <summary>What every <see cref="IMfaTokenStore"/> does: a binding kept under a token's hash is spent once, by kind, across nodes.</summary>
public abstract class MfaTokenStoreConformance(ISharedStateBackend backend)
{
    private readonly IMfaTokenStore store = backend.Node().MfaTokens;

    private static MfaBinding Binding() =>
        new("web", "con_1", "contoso", "Megan@Contoso.example", "tid/oid", "https://api.example", "openid", DateTimeOffset.UtcNow.AddMinutes(10));

    private static string NewHash() => Secrets.HashToken(Secrets.RandomToken(32));

    [Fact]
    public async Task A_binding_saved_on_one_node_is_taken_once_on_another()
    {
        var (hash, binding) = (NewHash(), Binding());
        await store.SaveAsync(MfaTokenKind.Token, hash, binding, DateTimeOffset.UtcNow.AddMinutes(20), default);
        var other = backend.Node().MfaTokens;
        Assert.Equal(binding, await other.TakeAsync(MfaTokenKind.Token, hash, default));
        Assert.Null(await other.TakeAsync(MfaTokenKind.Token, hash, default));
    }

    [Fact]
    public async Task A_token_is_not_a_browser_handle()
    {
        var hash = NewHash();
        await store.SaveAsync(MfaTokenKind.Token, hash, Binding(), DateTimeOffset.UtcNow.AddMinutes(20), default);
        Assert.Null(await store.TakeAsync(MfaTokenKind.BrowserHandle, hash, default));
        Assert.NotNull(await store.TakeAsync(MfaTokenKind.Token, hash, default));
    }

    [Fact]
    public async Task A_binding_is_forgotten_after_keep_until()
    {
        var hash = NewHash();
        await store.SaveAsync(MfaTokenKind.BrowserHandle, hash, Binding(), DateTimeOffset.UtcNow.AddMilliseconds(200), default);
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        Assert.Null(await store.TakeAsync(MfaTokenKind.BrowserHandle, hash, default));
    }

    [Fact]
    public async Task A_token_spent_concurrently_on_two_nodes_is_spent_once()
    {
        var hash = NewHash();
        await store.SaveAsync(MfaTokenKind.Token, hash, Binding(), DateTimeOffset.UtcNow.AddMinutes(20), default);
        var nodes = new[] { backend.Node().MfaTokens, backend.Node().MfaTokens };
        var taken = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () => await nodes[i % 2].TakeAsync(MfaTokenKind.Token, hash, default))));
        Assert.Single(taken, t => t is not null);
    }
}

public sealed class InMemoryMfaTokenStoreTests(InMemoryBackend backend) : MfaTokenStoreConformance(backend), IClassFixture<InMemoryBackend>;

public sealed class RedisMfaTokenStoreTests(RedisBackend backend) : MfaTokenStoreConformance(backend), IClassFixture<RedisBackend>;

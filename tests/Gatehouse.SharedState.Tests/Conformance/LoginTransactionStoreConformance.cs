using Gatehouse.Core.Authorization;
using Gatehouse.Core.Security;
using Gatehouse.SharedState.Tests.Backends;

namespace Gatehouse.SharedState.Tests.Conformance;

/// <summary>What every <see cref="ILoginTransactionStore"/> does: a transaction started on one node is found and ended on another, once.</summary>
public abstract class LoginTransactionStoreConformance(ISharedStateBackend backend)
{
    private readonly ILoginTransactionStore transactions = backend.Node().Transactions;

    private static LoginTransaction NewTransaction(TimeSpan lifetime) =>
        new(Secrets.RandomToken(24), AuthorizationCodeStoreConformance.NewCode(lifetime).Request, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow + lifetime)
        {
            DeviceCodeHash = Secrets.HashToken("device"),
        };

    [Fact]
    public async Task A_transaction_saved_on_one_node_is_found_on_another()
    {
        var transaction = NewTransaction(TimeSpan.FromMinutes(15));
        await transactions.SaveAsync(transaction, default);
        Assert.Equal(transaction, await backend.Node().Transactions.FindAsync(transaction.Id, default));
    }

    [Fact]
    public async Task An_unknown_transaction_is_not_found_nor_removed()
    {
        Assert.Null(await transactions.FindAsync("unknown", default));
        Assert.False(await transactions.RemoveAsync("unknown", default));
    }

    [Fact]
    public async Task A_transaction_ends_once()
    {
        var transaction = NewTransaction(TimeSpan.FromMinutes(15));
        await transactions.SaveAsync(transaction, default);
        Assert.True(await transactions.RemoveAsync(transaction.Id, default));
        Assert.False(await transactions.RemoveAsync(transaction.Id, default));
        Assert.Null(await transactions.FindAsync(transaction.Id, default));
    }

    [Fact]
    public async Task A_transaction_expires()
    {
        var transaction = NewTransaction(TimeSpan.FromMilliseconds(200));
        await transactions.SaveAsync(transaction, default);
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        Assert.Null(await transactions.FindAsync(transaction.Id, default));
    }

    [Fact]
    public async Task Two_nodes_ending_one_transaction_concurrently_end_it_once()
    {
        var transaction = NewTransaction(TimeSpan.FromMinutes(15));
        await transactions.SaveAsync(transaction, default);
        var nodes = new[] { backend.Node().Transactions, backend.Node().Transactions };
        var ended = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(async () => await nodes[i % 2].RemoveAsync(transaction.Id, default))));
        Assert.Single(ended, e => e);
    }
}

public sealed class InMemoryLoginTransactionStoreTests(InMemoryBackend backend) : LoginTransactionStoreConformance(backend), IClassFixture<InMemoryBackend>;

public sealed class RedisLoginTransactionStoreTests(RedisBackend backend) : LoginTransactionStoreConformance(backend), IClassFixture<RedisBackend>;

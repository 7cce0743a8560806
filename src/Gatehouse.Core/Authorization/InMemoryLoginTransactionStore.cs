namespace Gatehouse.Core.Authorization;

/// <summary>Login transactions in memory: expiring at their own <see cref="LoginTransaction.ExpiresAt"/>, at most <see cref="AuthorizationOptions.MaxTransactions"/>.</summary>
public sealed class InMemoryLoginTransactionStore(AuthorizationOptions options, TimeProvider time) : ILoginTransactionStore
{
    private readonly ExpiringMap<LoginTransaction> _transactions = new(options.MaxTransactions, time);

    /// <summary>Transactions held now (flood tests read it).</summary>
    public int Count => _transactions.Count;

    public Task SaveAsync(LoginTransaction transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        _transactions.Set(transaction.Id, transaction, transaction.ExpiresAt);
        return Task.CompletedTask;
    }

    public Task<LoginTransaction?> FindAsync(string id, CancellationToken ct) =>
        Task.FromResult(_transactions.TryGet(id, out var transaction) ? transaction : null);

    public Task<bool> RemoveAsync(string id, CancellationToken ct) => Task.FromResult(_transactions.TryTake(id, out _));
}

using Gatehouse.Core.Storage;
using Gatehouse.Storage.Memory;

namespace Gatehouse.AzureAd.Tests.Fakes;

/// <summary>
/// The in-memory store (conformance-tested like SQLite and PostgreSQL) with what the waad tests watch: how many users
/// were created and updated, and Conflicts injected as if another node wrote the user first.
/// </summary>
public sealed class InMemoryStore : InMemoryGatehouseStore
{
    private readonly Lock counting = new();
    private int conflictsToInject;
    private int creates;
    private int updates;

    /// <summary>Make the next N user updates fail with Conflict, as if another node wrote first.</summary>
    public int ConflictsToInject
    {
        get { lock (counting) return conflictsToInject; }
        set { lock (counting) conflictsToInject = value; }
    }

    public int Creates { get { lock (counting) return creates; } }

    public int Updates { get { lock (counting) return updates; } }

    public IReadOnlyList<User> Users =>
        ListUsersAsync(new UserQuery(null, null, null, false, PageRequest.All), default).GetAwaiter().GetResult().Items;

    /// <summary>Stores <paramref name="user"/> as given (over the current version), outside the counts.</summary>
    public void Put(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var current = GetUserAsync(user.UserId, default).GetAwaiter().GetResult();
        _ = current is null
            ? base.CreateUserAsync(user, default).GetAwaiter().GetResult()
            : base.UpdateUserAsync(user with { Version = current.Version }, default).GetAwaiter().GetResult();
    }

    public override async Task<User> CreateUserAsync(User user, CancellationToken ct)
    {
        var created = await base.CreateUserAsync(user, ct);
        lock (counting)
            creates++;
        return created;
    }

    public override async Task<User> UpdateUserAsync(User user, CancellationToken ct)
    {
        await InjectedConflictAsync(user, ct);
        return Updated(await base.UpdateUserAsync(user, ct));
    }

    public override async Task<User> UpdateUserOnLoginAsync(User user, DateTimeOffset at, string? ip, CancellationToken ct)
    {
        await InjectedConflictAsync(user, ct);
        return Updated(await base.UpdateUserOnLoginAsync(user, at, ip, ct));
    }

    public override async Task<User> RecordLoginAsync(User user, DateTimeOffset at, string? ip, CancellationToken ct) =>
        Updated(await base.RecordLoginAsync(user, at, ip, ct));

    private User Updated(User user)
    {
        lock (counting)
            updates++;
        return user;
    }

    /// <summary>Another node's write: the stored user moves one version on, so the caller's copy is stale.</summary>
    private async Task InjectedConflictAsync(User user, CancellationToken ct)
    {
        lock (counting)
        {
            if (conflictsToInject == 0)
                return;
            conflictsToInject--;
        }
        if (await GetUserAsync(user.UserId, ct) is { } current)
            await base.UpdateUserAsync(current, ct);
        throw new StoreException(StoreError.Conflict, "changed");
    }
}

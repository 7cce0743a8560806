using System.Runtime.CompilerServices;
using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Gatehouse.Storage.Queries;

namespace Gatehouse.Storage.Memory;

/// <summary>
/// <see cref="IGatehouseStore"/> in process memory (<c>Storage:Provider=memory</c>): for tests and demos, single-node
/// and non-durable (everything is gone when the process stops). It keeps the EF store's rows
/// (<see cref="Entities"/>) and runs its query trees (<see cref="UserQueries"/>, <see cref="LogQueries"/>) through
/// <see cref="SqlSemantics"/>, so versions, unique keys, ordering, paging and the <c>q</c> search behave as on
/// SQLite and PostgreSQL; the storage conformance suite runs against it. One lock serializes every call.
/// Members are virtual so a test can watch or perturb one call (count writes, inject a Conflict) and keep the rest.
/// </summary>
public partial class InMemoryGatehouseStore : IGatehouseStore
{
    private readonly Lock _gate = new();

    public event Action? ConfigurationChanged;

    /// <summary>
    /// Called with the member's name at the start of every store call, under the lock: a test double overrides it to
    /// record what a step looked up (nothing here depends on it).
    /// </summary>
    protected virtual void OnCall(string member)
    {
    }

    /// <summary>Runs <paramref name="action"/> under the store's lock; its failure becomes the task's, as with the EF store.</summary>
    private Task<T> Locked<T>(Func<T> action, [CallerMemberName] string member = "")
    {
        try
        {
            lock (_gate)
            {
                OnCall(member);
                return Task.FromResult(action());
            }
        }
#pragma warning disable CA1031 // handed to the caller through the task
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Task.FromException<T>(e);
        }
    }

    private Task<bool> Locked(Action action, [CallerMemberName] string member = "") =>
        Locked(() => { action(); return true; }, member);

    /// <summary>A configuration write: the cache is told whether or not it went through, as the EF store does.</summary>
    private async Task<T> Configuration<T>(Func<T> action, [CallerMemberName] string member = "")
    {
        try
        {
            return await Locked(action, member);
        }
        finally
        {
            OnConfigurationChanged();
        }
    }

    /// <summary>Raises <see cref="ConfigurationChanged"/>; a test double may hold it back to play a write made on another node.</summary>
    protected virtual void OnConfigurationChanged() => ConfigurationChanged?.Invoke();

    private Task<bool> Configuration(Action action, [CallerMemberName] string member = "") =>
        Configuration(() => { action(); return true; }, member);

    private static Page<TRecord> PageOf<TEntity, TRecord>(IQueryable<TEntity> ordered, PageRequest page, Func<TEntity, TRecord> toRecord)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Page < 0 || page.PerPage < 0 || page.Skip < 0)
            throw new ArgumentOutOfRangeException(nameof(page), "Page, PerPage and Skip must not be negative.");

        var rows = SqlSemantics.ToList(ordered);
        var offset = page.Skip ?? (long)page.Page * page.PerPage;
        if (page.PerPage == 0 || offset >= rows.Count)
            return new Page<TRecord>([], rows.Count);
        return new Page<TRecord>(rows.Skip((int)offset).Take(page.PerPage).Select(toRecord).ToList(), rows.Count);
    }

    /// <summary>Creates the singleton record (Version 0) or updates it; a second creator gets Conflict, as on the databases.</summary>
    private static TEntity Save<TEntity>(MemoryTable<TEntity> table, Func<TEntity, bool> key, TEntity incoming, string what)
        where TEntity : VersionedEntity
    {
        if (incoming.Version != 0)
        {
            table.Update(key, incoming, what);
            return incoming;
        }
        if (table.Find(key) is not null)
            throw MemoryTable<TEntity>.Conflict(what);
        incoming.Version = 1;
        table.Insert(incoming, what);
        return incoming;
    }
}

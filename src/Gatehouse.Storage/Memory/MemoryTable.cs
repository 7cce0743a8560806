using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;

namespace Gatehouse.Storage.Memory;

/// <summary>
/// One table of the in-memory store: rows in insert order (Seq grows like the database's surrogate key), the model's
/// unique indexes (<see cref="Model.GatehouseModel"/>) checked on every insert and update, and the EF store's optimistic
/// rules. Not thread-safe: <see cref="InMemoryGatehouseStore"/> holds its lock around every call.
/// </summary>
internal sealed class MemoryTable<TEntity>(params Func<TEntity, object?>[] uniqueKeys) where TEntity : VersionedEntity
{
    private readonly List<TEntity> _rows = [];
    private long _seq;

    public IQueryable<TEntity> Rows => _rows.AsQueryable();

    public TEntity? Find(Func<TEntity, bool> key) => _rows.Find(r => key(r));

    public void Insert(TEntity row, string what)
    {
        if (_rows.Any(r => Clashes(r, row)))
            throw AlreadyExists(what);
        row.Seq = ++_seq;
        _rows.Add(row);
    }

    /// <summary>NotFound when absent, Conflict when <paramref name="incoming"/>'s Version is stale, AlreadyExists on a taken unique value.</summary>
    public void Update(Func<TEntity, bool> key, TEntity incoming, string what)
    {
        var index = _rows.FindIndex(r => key(r));
        if (index < 0)
            throw NotFound(what);
        var stored = _rows[index];
        if (stored.Version != incoming.Version)
            throw Conflict(what);
        Replace(index, incoming, what);
    }

    /// <summary>Writes <paramref name="incoming"/> over the row at <paramref name="index"/> with the next Version.</summary>
    public void Replace(int index, TEntity incoming, string what)
    {
        var stored = _rows[index];
        if (_rows.Any(r => !ReferenceEquals(r, stored) && Clashes(r, incoming)))
            throw AlreadyExists(what);
        incoming.Seq = stored.Seq;
        incoming.Version = stored.Version + 1;
        _rows[index] = incoming;
    }

    public int IndexOf(Func<TEntity, bool> key) => _rows.FindIndex(r => key(r));

    public TEntity At(int index) => _rows[index];

    public void Delete(Func<TEntity, bool> key, string what)
    {
        if (_rows.RemoveAll(r => key(r)) == 0)
            throw NotFound(what);
    }

    public int DeleteAll(Func<TEntity, bool> key) => _rows.RemoveAll(r => key(r));

    /// <summary>A unique index holds two rows apart unless both have the same non-null value (SQL's NULLs never clash).</summary>
    private bool Clashes(TEntity a, TEntity b) =>
        uniqueKeys.Any(k => k(a) is { } value && value.Equals(k(b)));

    private static StoreException AlreadyExists(string what) =>
        new(StoreError.AlreadyExists, $"{what} already exists (its id or a unique value is taken).");

    public static StoreException NotFound(string what) => new(StoreError.NotFound, $"{what} does not exist.");

    public static StoreException Conflict(string what) =>
        new(StoreError.Conflict, $"{what} was changed by someone else since it was read; re-read and retry.");
}

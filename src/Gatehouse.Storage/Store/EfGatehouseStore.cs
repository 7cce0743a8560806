using System.Diagnostics;
using System.Linq.Expressions;
using Gatehouse.Core.Storage;
using Gatehouse.Storage.Cluster;
using Gatehouse.Storage.Diagnostics;
using Gatehouse.Storage.Entities;
using Gatehouse.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

/// <summary>
/// <see cref="IGatehouseStore"/> on EF Core. A singleton: every call takes its own short-lived context from the
/// pool, so concurrent calls share nothing. Reads are untracked; the helpers below, <see cref="FullRowUpdate{TEntity}"/>
/// (a user's login) and <see cref="LogGroupCommit{TContext}"/> (audit events) are the only write paths, and each
/// writes inside <see cref="WriteGate"/> (one writer at a time on SQLite).
/// </summary>
internal sealed partial class EfGatehouseStore<TContext> : IGatehouseStore, IAsyncDisposable, IDisposable
    where TContext : GatehouseDbContext
{
    private readonly IDbContextFactory<TContext> factory;
    private readonly WriteGate writes;
    private readonly IChangeFeed changes;
    private readonly LogGroupCommit<TContext> logWriter;

    /// <param name="changes">Tells the other nodes on this database what this one changed, and raises their changes here.</param>
    public EfGatehouseStore(IDbContextFactory<TContext> factory, WriteGate writes, IChangeFeed changes)
    {
        this.factory = factory;
        this.writes = writes;
        this.changes = changes;
        logWriter = new(factory, writes, SaveAsync);
        changes.Received += kind =>
        {
            if (kind == ChangeKind.Configuration)
                ConfigurationChanged?.Invoke();
            else
                SigningKeysChanged?.Invoke();
        };
    }

    public event Action? ConfigurationChanged;

    public event Action? SigningKeysChanged;

    /// <summary>The rows <see cref="Gatehouse.Core.Storage.ConfigCache"/> keeps: any write to them tells the cache.</summary>
    private static bool IsConfiguration<TEntity>() =>
        typeof(TEntity) == typeof(ClientEntity) || typeof(TEntity) == typeof(ConnectionEntity)
        || typeof(TEntity) == typeof(ResourceServerEntity) || typeof(TEntity) == typeof(ClientGrantEntity)
        || typeof(TEntity) == typeof(TenantSettingsEntity);

    /// <summary>
    /// Raised whether or not the write went through: dropping a cache is always safe. The other nodes are told before
    /// the write returns, so a change answered on this node is enforced on every node's next request.
    /// </summary>
    private async Task ConfigurationWrittenAsync<TEntity>()
    {
        if (IsConfiguration<TEntity>())
        {
            ConfigurationChanged?.Invoke();
            await changes.PublishAsync(ChangeKind.Configuration);
        }
        else if (typeof(TEntity) == typeof(SigningKeyEntity))
        {
            // This node's SigningKeyService reloads its ring itself after a rotation or revocation.
            await changes.PublishAsync(ChangeKind.SigningKeys);
        }
    }

    private async Task<T> QueryAsync<T>(Func<TContext, Task<T>> query, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await query(db);
    }

    private async Task InsertAsync<TEntity>(TEntity entity, string what, CancellationToken ct) where TEntity : class
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            db.Set<TEntity>().Add(entity);
            using var entered = await writes.EnterAsync(ct);
            await SaveAsync(db, what, ct);
        }
        finally
        {
            await ConfigurationWrittenAsync<TEntity>();
        }
    }

    /// <summary>
    /// Optimistic update: refuses a stale Version up front, and the UPDATE itself carries
    /// <c>WHERE version = @expected</c> (Version is a concurrency token), so a writer that slips in between
    /// the read and the write also ends in Conflict.
    /// </summary>
    private async Task UpdateAsync<TEntity>(
        Expression<Func<TEntity, bool>> key, TEntity incoming, string what, CancellationToken ct, Func<TContext, Task>? cascade = null)
        where TEntity : VersionedEntity
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            using var entered = await writes.EnterAsync(ct);
            await using var transaction = cascade is null ? null : await db.Database.BeginTransactionAsync(ct);
            var stored = await db.Set<TEntity>().AsTracking().SingleOrDefaultAsync(key, ct)
                ?? throw NotFound(what);
            if (stored.Version != incoming.Version)
                throw Conflict(what);
            incoming.Seq = stored.Seq;
            incoming.Version = stored.Version + 1;
            db.Entry(stored).CurrentValues.SetValues(incoming);
            await SaveAsync(db, what, ct);
            if (cascade is not null)
            {
                await cascade(db);
                await transaction!.CommitAsync(ct);
            }
        }
        finally
        {
            await ConfigurationWrittenAsync<TEntity>();
        }
    }

    /// <summary>Deletes the row; <paramref name="cascade"/> (the rows that name it) runs in the same transaction.</summary>
    private async Task DeleteAsync<TEntity>(
        Expression<Func<TEntity, bool>> key, string what, CancellationToken ct, Func<TContext, Task>? cascade = null)
        where TEntity : class
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            using var entered = await writes.EnterAsync(ct);
            await using var transaction = cascade is null ? null : await db.Database.BeginTransactionAsync(ct);
            if (await db.Set<TEntity>().Where(key).ExecuteDeleteAsync(ct) == 0)
                throw NotFound(what);
            if (cascade is not null)
            {
                await cascade(db);
                await transaction!.CommitAsync(ct);
            }
        }
        finally
        {
            await ConfigurationWrittenAsync<TEntity>();
        }
    }

    /// <summary>SaveChanges with the store's error mapping; the caller is inside <see cref="WriteGate"/>.</summary>
    private static async Task SaveAsync(TContext db, string what, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await db.SaveChangesAsync(ct);
            StorageEvents.Log.WriteTook(what, start);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Conflict(what);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            throw new StoreException(StoreError.AlreadyExists, $"{what} already exists (its id or a unique value is taken).");
        }
    }

    private static async Task<Page<TRecord>> PageAsync<TEntity, TRecord>(
        IQueryable<TEntity> ordered, PageRequest page, Func<TEntity, TRecord> toRecord, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Page < 0 || page.PerPage < 0 || page.Skip < 0)
            throw new ArgumentOutOfRangeException(nameof(page), "Page, PerPage and Skip must not be negative.");

        var total = await ordered.CountAsync(ct);
        var offset = page.Skip ?? (long)page.Page * page.PerPage;
        if (page.PerPage == 0 || offset >= total)
            return new Page<TRecord>([], total);

        var rows = await ordered.Skip((int)offset).Take(page.PerPage).ToListAsync(ct);
        return new Page<TRecord>(rows.Select(toRecord).ToList(), total);
    }

    /// <summary>Writes the audit events still queued (their callers are waiting for them), then stops the writer.</summary>
    public ValueTask DisposeAsync() => logWriter.DisposeAsync();

    public void Dispose() => logWriter.Dispose();

    private static StoreException NotFound(string what) => new(StoreError.NotFound, $"{what} does not exist.");

    private static StoreException Conflict(string what) =>
        new(StoreError.Conflict, $"{what} was changed by someone else since it was read; re-read and retry.");
}

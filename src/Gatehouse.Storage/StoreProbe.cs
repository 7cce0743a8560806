using System.Data.Common;
using Gatehouse.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage;

/// <summary>Whether the database answers a real query now (the readiness check asks; it never throws).</summary>
public interface IStoreProbe
{
    Task<bool> IsReachableAsync(CancellationToken ct);
}

/// <summary>
/// Reads one row of a table every database has after migration: a lost connection, a missing file or directory
/// (SQLite would quietly create an empty database, without tables) and a dropped schema all answer false.
/// </summary>
internal sealed class StoreProbe<TContext>(IDbContextFactory<TContext> contexts) : IStoreProbe where TContext : GatehouseDbContext
{
    public async Task<bool> IsReachableAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await db.TenantSettings.AnyAsync(ct);
            return true;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }
}

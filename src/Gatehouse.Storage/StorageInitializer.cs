using Gatehouse.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage;

internal sealed class StorageInitializer<TContext>(IDbContextFactory<TContext> factory) : IStorageInitializer
    where TContext : GatehouseDbContext
{
    public async Task InitializeAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.PrepareDatabaseAsync(ct);
        await db.Database.MigrateAsync(ct);
    }
}

using Gatehouse.Storage.Postgres;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gatehouse.Storage.Cluster;

/// <summary>Keeps ASP.NET Core's data-protection keys in the store when several nodes share it (PostgreSQL).</summary>
public static class SharedDataProtectionKeys
{
    /// <summary>
    /// On PostgreSQL, persists the keys to its <c>data_protection_keys</c> table and returns true; any other provider is
    /// single-node and keeps its keys where the caller puts them (false).
    /// </summary>
    public static bool TryPersistKeysToStorage(this IDataProtectionBuilder builder, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider?.Trim().ToLowerInvariant() != StorageOptions.Postgres)
            return false;
        // The framework's repository asks a scope for the context; hand it one from the store's pool.
        builder.Services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<PostgresGatehouseDbContext>>().CreateDbContext());
        builder.PersistKeysToDbContext<PostgresGatehouseDbContext>();
        return true;
    }
}

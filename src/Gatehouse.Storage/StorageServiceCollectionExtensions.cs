using Gatehouse.Core.Administrators;
using Gatehouse.Core.Storage;
using Gatehouse.Storage.Model;
using Gatehouse.Storage.Postgres;
using Gatehouse.Storage.Sqlite;
using Gatehouse.Storage.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IGatehouseStore"/> (singleton, safe for concurrent use: a pooled short-lived DbContext
    /// per call) and <see cref="IStorageInitializer"/> for the provider named in <paramref name="options"/>.
    /// </summary>
    public static IServiceCollection AddGatehouseStorage(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new ArgumentException("Storage needs a connection string.", nameof(options));

        var connectionString = options.ConnectionString;
        switch (options.Provider?.Trim().ToLowerInvariant())
        {
            case StorageOptions.Sqlite:
                services.AddPooledDbContextFactory<SqliteGatehouseDbContext>(
                    b => SqliteGatehouseDbContext.Configure(b, connectionString));
                return AddStore<SqliteGatehouseDbContext>(services, WriteGate.Serial());
            case StorageOptions.Postgres:
                services.AddPooledDbContextFactory<PostgresGatehouseDbContext>(
                    b => PostgresGatehouseDbContext.Configure(b, connectionString));
                return AddStore<PostgresGatehouseDbContext>(services, WriteGate.Concurrent());
            default:
                throw new ArgumentException(
                    $"Unknown storage provider '{options.Provider}': use '{StorageOptions.Sqlite}' or '{StorageOptions.Postgres}'.",
                    nameof(options));
        }
    }

    /// <param name="writes">SQLite's single write lock is queued for in the process (<see cref="WriteGate"/>); PostgreSQL's writers run concurrently.</param>
    private static IServiceCollection AddStore<TContext>(IServiceCollection services, WriteGate writes) where TContext : GatehouseDbContext
    {
        services.AddSingleton(writes);
        services.AddSingleton<IGatehouseStore, EfGatehouseStore<TContext>>();
        services.AddSingleton<IAdministratorStore, EfAdministratorStore<TContext>>();
        services.AddSingleton<IStorageInitializer, StorageInitializer<TContext>>();
        services.AddSingleton<IStoreProbe, StoreProbe<TContext>>();
        return services;
    }
}

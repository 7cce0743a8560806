using Gatehouse.Core.Administrators;
using Gatehouse.Core.Sessions;
using Gatehouse.Core.Storage;
using Gatehouse.Storage.Cluster;
using Gatehouse.Storage.Memory;
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
    /// Registers <see cref="IGatehouseStore"/> and each per-aggregate store it is made of (<see cref="IUserStore"/>,
    /// <see cref="IClientStore"/>, ...), all the same singleton (safe for concurrent use: a pooled short-lived DbContext
    /// per call), <see cref="IAdministratorStore"/> and <see cref="IStorageInitializer"/> for the provider named in
    /// <paramref name="options"/>.
    /// </summary>
    public static IServiceCollection AddGatehouseStorage(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = options.Provider?.Trim().ToLowerInvariant();
        if (provider == StorageOptions.Memory)
            return AddInMemoryStore(services);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new ArgumentException("Storage needs a connection string.", nameof(options));

        var connectionString = options.ConnectionString;
        switch (provider)
        {
            case StorageOptions.Sqlite:
                services.AddPooledDbContextFactory<SqliteGatehouseDbContext>(
                    b => SqliteGatehouseDbContext.Configure(b, connectionString));
                services.AddSingleton<IChangeFeed, NoChangeFeed>();
                return AddStore<SqliteGatehouseDbContext>(services, WriteGate.Serial());
            case StorageOptions.Postgres:
                services.AddPooledDbContextFactory<PostgresGatehouseDbContext>(
                    b => PostgresGatehouseDbContext.Configure(b, connectionString));
                // Several nodes may share this database: they tell each other what they changed (LISTEN/NOTIFY).
                services.AddSingleton<IChangeFeed>(_ => new PostgresChangeFeed(connectionString));
                return AddStore<PostgresGatehouseDbContext>(services, WriteGate.Concurrent());
            default:
                throw new ArgumentException(
                    $"Unknown storage provider '{options.Provider}': use '{StorageOptions.Sqlite}', '{StorageOptions.Postgres}' or '{StorageOptions.Memory}'.",
                    nameof(options));
        }
    }

    /// <param name="writes">SQLite's single write lock is queued for in the process (<see cref="WriteGate"/>); PostgreSQL's writers run concurrently.</param>
    private static IServiceCollection AddStore<TContext>(IServiceCollection services, WriteGate writes) where TContext : GatehouseDbContext
    {
        services.AddSingleton(writes);
        AddStores<EfGatehouseStore<TContext>>(services);
        services.AddSingleton<IAdministratorStore, EfAdministratorStore<TContext>>();
        services.AddSingleton<IStorageInitializer, StorageInitializer<TContext>>();
        services.AddSingleton<IStoreProbe, StoreProbe<TContext>>();
        return services;
    }

    /// <summary>Single-node and non-durable: for tests and demos (docs/storage.md).</summary>
    private static IServiceCollection AddInMemoryStore(IServiceCollection services)
    {
        AddStores<InMemoryGatehouseStore>(services);
        services.AddSingleton<IAdministratorStore, InMemoryAdministratorStore>();
        services.AddSingleton<IStorageInitializer, NothingToInitialize>();
        return services;
    }

    /// <summary>The store once, and every interface it answers to resolving to that one instance.</summary>
    private static void AddStores<TStore>(IServiceCollection services) where TStore : class, IGatehouseStore, ISsoSessionStore
    {
        services.AddSingleton<TStore>();
        services.AddSingleton<IGatehouseStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IConfigurationStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ITenantSettingsStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IClientStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IResourceServerStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IClientGrantStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IConnectionStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IProtectionSettingsStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IUserStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IRoleStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ISigningKeyStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IRefreshTokenStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IAuditLogStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ISsoSessionStore>(sp => sp.GetRequiredService<TStore>());
    }

    private sealed class NothingToInitialize : IStorageInitializer
    {
        public Task InitializeAsync(CancellationToken ct) => Task.CompletedTask;
    }
}

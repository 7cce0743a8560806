using Gatehouse.Core.Storage;
using Gatehouse.Storage.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Storage.Tests.Backends;

/// <summary>The in-memory store (Storage:Provider=memory), reached through the same DI entry point as the databases.</summary>
public sealed class InMemoryStoreFixture : StoreFixture
{
    protected override Task<StorageOptions> CreateDatabaseAsync() => Task.FromResult(StorageOptions.ForMemory());

    protected override Task DropDatabaseAsync() => Task.CompletedTask;
}

public sealed class InMemoryStoreTests(InMemoryStoreFixture fixture)
    : StoreConformanceTests(fixture), IClassFixture<InMemoryStoreFixture>
{
    /// <summary>A consumer asks for the one aggregate it needs; each narrow store is the one singleton.</summary>
    [Theory]
    [InlineData(StorageOptions.Memory)]
    [InlineData(StorageOptions.Sqlite)]
    public async Task Every_per_aggregate_store_resolves_to_the_one_store(string provider)
    {
        var options = provider == StorageOptions.Memory
            ? StorageOptions.ForMemory()
            : StorageOptions.ForSqlite(Path.Combine(Path.GetTempPath(), "gatehouse-di-" + Guid.NewGuid().ToString("N")));
        await using var services = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider();
        var store = services.GetRequiredService<IGatehouseStore>();

        Assert.Same(store, services.GetRequiredService<IConfigurationStore>());
        Assert.Same(store, services.GetRequiredService<ITenantSettingsStore>());
        Assert.Same(store, services.GetRequiredService<IClientStore>());
        Assert.Same(store, services.GetRequiredService<IResourceServerStore>());
        Assert.Same(store, services.GetRequiredService<IClientGrantStore>());
        Assert.Same(store, services.GetRequiredService<IConnectionStore>());
        Assert.Same(store, services.GetRequiredService<IProtectionSettingsStore>());
        Assert.Same(store, services.GetRequiredService<IUserStore>());
        Assert.Same(store, services.GetRequiredService<ISigningKeyStore>());
        Assert.Same(store, services.GetRequiredService<IRefreshTokenStore>());
        Assert.Same(store, services.GetRequiredService<IAuditLogStore>());
        Assert.Same(store, services.GetRequiredService<Gatehouse.Core.Sessions.ISsoSessionStore>());
    }
}

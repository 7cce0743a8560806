using Gatehouse.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Storage.Tests.Conformance;

/// <summary>One migrated database per test class, reached through the same DI entry points the server uses.</summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private ServiceProvider? services;

    public IGatehouseStore Store =>
        services?.GetRequiredService<IGatehouseStore>() ?? throw new InvalidOperationException("The fixture is not initialized.");

    public Gatehouse.Core.Administrators.IAdministratorStore Administrators =>
        services?.GetRequiredService<Gatehouse.Core.Administrators.IAdministratorStore>() ?? throw new InvalidOperationException("The fixture is not initialized.");

    public Gatehouse.Core.Sessions.ISsoSessionStore Sessions =>
        services?.GetRequiredService<Gatehouse.Core.Sessions.ISsoSessionStore>() ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>Creates the empty database and returns the options that point at it.</summary>
    protected abstract Task<StorageOptions> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    public async Task InitializeAsync()
    {
        var options = await CreateDatabaseAsync();
        services = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider();
        await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (services is not null)
            await services.DisposeAsync();
        await DropDatabaseAsync();
    }
}

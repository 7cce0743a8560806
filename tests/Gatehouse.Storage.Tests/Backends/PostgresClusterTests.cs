using Gatehouse.Core.Storage;
using Gatehouse.Storage.Cluster;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Backends;

/// <summary>
/// Two nodes on one PostgreSQL database, each with its own service provider (its own pools, listener and caches), as
/// two Gatehouse processes would have: what one writes, the other is told of, and they share data-protection keys.
/// </summary>
public sealed class PostgresClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30); // a bound for a loaded machine, not a pace
    private readonly string database = "gatehouse_cluster_" + Guid.NewGuid().ToString("N")[..16];
    private string admin = "";
    private ServiceProvider nodeA = null!;
    private ServiceProvider nodeB = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        admin = Environment.GetEnvironmentVariable(PostgresStoreFixture.EnvironmentVariable)
            ?? throw new InvalidOperationException($"{PostgresStoreFixture.EnvironmentVariable} is not set: run these through scripts/test.");
        await ExecuteAsync($"CREATE DATABASE \"{database}\"");
        var options = StorageOptions.ForPostgres(new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString);
        nodeA = Node(options);
        nodeB = Node(options);
        await nodeA.GetRequiredService<IStorageInitializer>().InitializeAsync(Ct);
        await WaitListeningAsync(nodeA);
        await WaitListeningAsync(nodeB);
    }

    public async Task DisposeAsync()
    {
        await nodeA.DisposeAsync();
        await nodeB.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    [Fact]
    public async Task A_connection_changed_on_one_node_is_dropped_from_the_other_nodes_cache()
    {
        var storeA = nodeA.GetRequiredService<IGatehouseStore>();
        var storeB = nodeB.GetRequiredService<IGatehouseStore>();
        // A cache that would otherwise keep the old row for ten minutes.
        var cacheB = new ConfigCache(storeB, TimeProvider.System, new ConfigCacheOptions { Seconds = 600 });
        var connection = Connection();
        await storeA.CreateConnectionAsync(connection, Ct);
        var cached = await cacheB.GetConnectionByNameAsync(connection.Name, Ct);
        Assert.Equal(1, cached!.Version);

        var told = Signal(h => storeB.ConfigurationChanged += h);
        await storeA.UpdateConnectionAsync(cached with { EnabledClients = [] }, Ct);
        await told.WaitAsync(Patience);

        var seen = await cacheB.GetConnectionByNameAsync(connection.Name, Ct);
        Assert.Equal(2, seen!.Version);
        Assert.Empty(seen.EnabledClients);
    }

    [Fact]
    public async Task A_signing_key_change_on_one_node_is_told_to_the_other_and_not_back_to_itself()
    {
        var storeA = nodeA.GetRequiredService<IGatehouseStore>();
        var toB = Signal(h => nodeB.GetRequiredService<IGatehouseStore>().SigningKeysChanged += h);
        var toA = 0;
        storeA.SigningKeysChanged += () => Interlocked.Increment(ref toA);

        await storeA.CreateSigningKeyAsync(Key(), Ct);
        await toB.WaitAsync(Patience);
        Assert.Equal(0, Volatile.Read(ref toA)); // its own write: SigningKeyService reloads by itself
    }

    [Fact]
    public void A_cookie_protected_on_one_node_opens_on_the_other()
    {
        var payload = nodeA.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("session of alice");
        Assert.Equal("session of alice", nodeB.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(payload));
    }

    private static ServiceProvider Node(StorageOptions options)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("Gatehouse").TryPersistKeysToStorage(options);
        return services.AddGatehouseStorage(options).BuildServiceProvider();
    }

    /// <summary>A task that completes when the event <paramref name="subscribe"/> hooks is raised.</summary>
    private static Task Signal(Action<Action> subscribe)
    {
        var raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(() => raised.TrySetResult());
        return raised.Task;
    }

    private static async Task WaitListeningAsync(ServiceProvider node)
    {
        var feed = (PostgresChangeFeed)node.GetRequiredService<IChangeFeed>();
        _ = node.GetRequiredService<IGatehouseStore>(); // the store subscribes to the feed
        var deadline = DateTime.UtcNow + Patience;
        while (!feed.IsListening)
        {
            Assert.True(DateTime.UtcNow < deadline, "the LISTEN connection did not open");
            await Task.Delay(20);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

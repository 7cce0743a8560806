using System.Runtime.Versioning;
using Gatehouse.Core.Storage;
using Gatehouse.Storage.Tests.Conformance;
using Gatehouse.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Storage.Tests.Backends;

/// <summary>A fresh SQLite file (WAL) in a temp folder for the test class.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "gatehouse-storage-tests-" + Guid.NewGuid().ToString("N"));

    protected override Task<StorageOptions> CreateDatabaseAsync() => Task.FromResult(StorageOptions.ForSqlite(dataDir));

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(dataDir))
            Directory.Delete(dataDir, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class SqliteStoreTests(SqliteStoreFixture fixture)
    : StoreConformanceTests(fixture), IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task Initializer_puts_the_database_in_wal_mode_in_the_data_dir()
    {
        var options = StorageOptions.ForSqlite(Path.Combine(Path.GetTempPath(), "gatehouse-wal-" + Guid.NewGuid().ToString("N")));
        await using var services = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider();
        var initializer = services.GetRequiredService<IStorageInitializer>();
        await initializer.InitializeAsync(CancellationToken.None);
        await initializer.InitializeAsync(CancellationToken.None); // idempotent: nothing left to migrate

        var dataSource = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
        Assert.Equal(StorageOptions.SqliteFileName, Path.GetFileName(dataSource));
        await using (var connection = new SqliteConnection(options.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(dataSource)!, recursive: true);
    }

    [Fact]
    public async Task Every_event_acknowledged_while_the_store_is_disposed_is_written_and_none_waits_forever()
    {
        // Leader/follower group commit: whoever finds no writer writes, the rest wait or go to the background drain;
        // disposing the container must still write every event already appended.
        var options = StorageOptions.ForSqlite(Path.Combine(Path.GetTempPath(), "gatehouse-logs-" + Guid.NewGuid().ToString("N")));
        var services = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider();
        await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        var store = services.GetRequiredService<IGatehouseStore>();
        var t0 = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
        var logs = Enumerable.Range(0, 300).Select(i => TestData.Log($"log_{i:D4}", t0.AddSeconds(i), "s", "cl_many")).ToList();
        await store.AppendLogAsync(TestData.Log("log_first", t0, "s", "cl_many"), CancellationToken.None);
        var appends = logs.Select(log => Task.Run(() => store.AppendLogAsync(log, CancellationToken.None))).ToList();
        await services.DisposeAsync(); // while most appends are still queued or being written

        // Every append ends (none is left waiting on a writer that stopped): written, or refused as the store closed.
        var outcomes = await Task.WhenAll(appends.Select(async a =>
        {
            try
            {
                await a.WaitAsync(TimeSpan.FromSeconds(60));
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }));
        await using var reopened = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider();
        var again = reopened.GetRequiredService<IGatehouseStore>();
        Assert.NotNull(await again.GetLogAsync("log_first", CancellationToken.None));
        for (var i = 0; i < logs.Count; i++)
            Assert.Equal(outcomes[i], await again.GetLogAsync(logs[i].LogId, CancellationToken.None) is not null);
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource)!, recursive: true);
    }

    [Fact]
    public async Task Every_write_path_queues_behind_the_write_gate()
    {
        var options = StorageOptions.ForSqlite(Path.Combine(Path.GetTempPath(), "gatehouse-gate-" + Guid.NewGuid().ToString("N")));
        var services = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider();
        await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        var store = services.GetRequiredService<IGatehouseStore>();
        var connection = await store.CreateConnectionAsync(TestData.Connection(), CancellationToken.None);
        var user = await store.CreateUserAsync(TestData.User(connection.Id), CancellationToken.None);

        // Held here, the gate must stop every kind of write: a login's UPDATE, an audit event, an insert, an update.
        Task[] writes;
        using (await services.GetRequiredService<Gatehouse.Storage.Store.WriteGate>().EnterAsync(CancellationToken.None))
        {
            writes =
            [
                store.UpdateUserOnLoginAsync(user, TestData.T0, "192.0.2.1", CancellationToken.None),
                store.AppendLogAsync(TestData.Log(TestData.Unique("log"), TestData.T0, "s", "client"), CancellationToken.None),
                store.CreateClientAsync(TestData.Client(), CancellationToken.None),
                store.UpdateConnectionAsync(connection, CancellationToken.None),
            ];
            await Task.Delay(300);
            Assert.All(writes, w => Assert.False(w.IsCompleted, "a write went past the held gate"));
        }
        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(30));

        await services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource)!, recursive: true);
    }

    [Fact]
    public async Task Every_connection_has_the_settings_also_when_the_pools_reuse_it()
    {
        var options = StorageOptions.ForSqlite(Path.Combine(Path.GetTempPath(), "gatehouse-setup-" + Guid.NewGuid().ToString("N")));
        await using var services = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider();
        await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        var contexts = services.GetRequiredService<IDbContextFactory<SqliteGatehouseDbContext>>();

        // Two at a time, several rounds: the context pool hands back the same connection objects and SQLite's pool
        // the same handles, which is where a setting applied only once could go missing.
        for (var round = 0; round < 4; round++)
        {
            await using var first = await contexts.CreateDbContextAsync();
            await using var second = await contexts.CreateDbContextAsync();
            foreach (var db in new[] { first, second })
            {
                await db.Database.OpenConnectionAsync();
                var connection = (SqliteConnection)db.Database.GetDbConnection();
                Assert.Equal(("äöß", 1L, 10_000L), (
                    await Scalar<string>(connection, "SELECT lower('ÄÖß');"),
                    await Scalar<long>(connection, "PRAGMA synchronous;"),
                    await Scalar<long>(connection, "PRAGMA busy_timeout;")));
            }
            foreach (var db in new[] { first, second })
                await db.Database.CloseConnectionAsync();
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource)!, recursive: true);
    }

    [Fact]
    public async Task Audit_events_still_queued_are_written_before_the_store_is_disposed()
    {
        var options = StorageOptions.ForSqlite(Path.Combine(Path.GetTempPath(), "gatehouse-drain-" + Guid.NewGuid().ToString("N")));
        var services = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider();
        await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        var store = services.GetRequiredService<IGatehouseStore>();
        var logs = Enumerable.Range(0, 300).Select(i => TestData.Log($"drain-{i:D3}", TestData.T0.AddSeconds(i), "s", "cl_drain")).ToList();

        // Appended and not awaited: shutting the container down (as the host does on stop) must write them all.
        var appends = logs.Select(log => store.AppendLogAsync(log, CancellationToken.None)).ToList();
        await services.DisposeAsync();
        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.AppendLogAsync(logs[0], CancellationToken.None));

        await using var reopened = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider();
        var stored = await reopened.GetRequiredService<IGatehouseStore>().ListLogsAsync(
            new LogQuery(new Filter.Match("client_id", "cl_drain", MatchKind.Exact), null, PageRequest.All), CancellationToken.None);
        Assert.Equal(logs.Select(l => l.LogId).Order(), stored.Items.Select(l => l.LogId).Order());
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource)!, recursive: true);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task The_database_and_its_wal_and_shm_are_owner_only_in_an_owner_only_folder()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "gatehouse-modes-" + Guid.NewGuid().ToString("N"), "data");
        var options = StorageOptions.ForSqlite(dataDir);
        await using (var services = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider())
        {
            await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
            // -wal and -shm appear on the first write and stay while a connection is open.
            await services.GetRequiredService<IGatehouseStore>().AppendLogAsync(TestData.Log("modes", TestData.T0, "s", "cl_modes"), CancellationToken.None);
            var database = Path.Combine(dataDir, StorageOptions.SqliteFileName);
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
                Assert.Equal((file, UnixFileMode.UserRead | UnixFileMode.UserWrite), (file, File.GetUnixFileMode(file)));
            // The folder that holds it (as mkdir -p -m 700 does, parents made on the way keep the umask's mode).
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(dataDir)!, recursive: true);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task A_database_an_older_version_left_world_readable_is_narrowed_at_start()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "gatehouse-narrow-" + Guid.NewGuid().ToString("N"));
        var options = StorageOptions.ForSqlite(dataDir);
        await using (var services = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider())
            await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();
        var database = Path.Combine(dataDir, StorageOptions.SqliteFileName);
        var worldReadable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(database, worldReadable);
        await File.WriteAllBytesAsync(database + "-shm", []);
        File.SetUnixFileMode(database + "-shm", worldReadable);

        await using (var services = new ServiceCollection().AddGatehouseStorage(options).BuildServiceProvider())
            await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database + "-shm"));
        SqliteConnection.ClearAllPools();
        Directory.Delete(dataDir, recursive: true);
    }

    private static async Task<T> Scalar<T>(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

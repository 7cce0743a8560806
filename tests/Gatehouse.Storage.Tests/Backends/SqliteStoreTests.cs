using Gatehouse.Storage.Tests.Conformance;
using Microsoft.Data.Sqlite;
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
}

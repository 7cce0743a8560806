using Gatehouse.Storage.Tests.Conformance;
using Npgsql;

namespace Gatehouse.Storage.Tests.Backends;

/// <summary>
/// A fresh, uniquely named PostgreSQL database for the test class, dropped afterwards. The server comes from
/// <c>GATEHOUSE_TEST_POSTGRES</c>; without it every test here fails (never skips) and says how to get one.
/// </summary>
public sealed class PostgresStoreFixture : StoreFixture
{
    public const string EnvironmentVariable = "GATEHOUSE_TEST_POSTGRES";

    private readonly string database = "gatehouse_test_" + Guid.NewGuid().ToString("N")[..16];
    private string? adminConnectionString;

    protected override async Task<StorageOptions> CreateDatabaseAsync()
    {
        adminConnectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(adminConnectionString))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set, so the PostgreSQL conformance tests cannot run. Run them through " +
                "scripts/test, or start a server with `scripts/lib/postgres.sh start` and export the " +
                $"{EnvironmentVariable}=... line it prints (e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres).");
        }

        await ExecuteAsync($"CREATE DATABASE \"{database}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database }.ConnectionString;
        return StorageOptions.ForPostgres(connectionString);
    }

    protected override async Task DropDatabaseAsync()
    {
        if (adminConnectionString is null)
            return;
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class PostgresStoreTests(PostgresStoreFixture fixture)
    : StoreConformanceTests(fixture), IClassFixture<PostgresStoreFixture>;

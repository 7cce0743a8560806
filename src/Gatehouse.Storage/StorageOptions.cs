using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage;

/// <summary>
/// Which database the store uses. <see cref="Provider"/> is <c>sqlite</c>, <c>postgres</c>, or <c>memory</c> (single-node,
/// non-durable, no connection string: for tests and demos).
/// </summary>
public sealed class StorageOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string Memory = "memory";
    public const string SqliteFileName = "gatehouse.db";

    public string Provider { get; set; } = Sqlite;

    public string ConnectionString { get; set; } = "";

    /// <summary>SQLite in <c>&lt;dataDir&gt;/gatehouse.db</c> (the folder is created at start).</summary>
    public static StorageOptions ForSqlite(string dataDir) => new()
    {
        Provider = Sqlite,
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, SqliteFileName),
            Pooling = true,
        }.ToString(),
    };

    public static StorageOptions ForMemory() => new() { Provider = Memory };

    public static StorageOptions ForPostgres(string connectionString) =>
        new() { Provider = Postgres, ConnectionString = connectionString };
}

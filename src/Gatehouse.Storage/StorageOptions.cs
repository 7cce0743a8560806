using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage;

/// <summary>Which database the store uses. <see cref="Provider"/> is <c>sqlite</c> or <c>postgres</c>.</summary>
public sealed class StorageOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
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

    public static StorageOptions ForPostgres(string connectionString) =>
        new() { Provider = Postgres, ConnectionString = connectionString };
}

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Gatehouse.Storage.Sqlite;

/// <summary>
/// Per-connection SQLite settings, applied each time EF opens a connection:
/// a busy timeout so concurrent writers wait instead of failing, <c>synchronous=NORMAL</c> (safe with WAL: a power
/// loss may drop the last commits but never corrupts the database; it saves an fsync per commit), and a <c>lower()</c> that folds case like .NET
/// (SQLite's built-in one folds ASCII only), so case-insensitive filters behave as on PostgreSQL.
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public const int BusyTimeoutMilliseconds = 10_000;

    public static SqliteConnectionSetup Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Prepare(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = Prepare(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand Prepare(DbConnection connection)
    {
        var sqlite = (SqliteConnection)connection;
        sqlite.CreateFunction("lower", (string? value) => value?.ToLowerInvariant(), isDeterministic: true);
        var command = sqlite.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;";
        return command;
    }
}

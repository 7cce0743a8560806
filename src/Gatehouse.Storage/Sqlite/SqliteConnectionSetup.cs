using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Gatehouse.Storage.Sqlite;

/// <summary>
/// Per-connection SQLite settings: a busy timeout so concurrent writers wait instead of failing,
/// <c>synchronous=NORMAL</c> (safe with WAL: a power loss may drop the last commits but never corrupts the database;
/// it saves an fsync per commit), and a <c>lower()</c> that folds case like .NET (SQLite's built-in one folds ASCII
/// only), so case-insensitive filters behave as on PostgreSQL.
/// Each is applied once where it lives, not on every open (a login opens three connections): the pragmas belong to
/// the native handle, which the pool keeps open between uses; the function belongs to the SqliteConnection object,
/// which registers it again on each open by itself (and removes it when the handle goes back to the pool).
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public const int BusyTimeoutMilliseconds = 10_000;

    private static readonly ConditionalWeakTable<SqliteConnection, object> HasLower = [];
    private static readonly ConditionalWeakTable<sqlite3, object> HasPragmas = [];

    public static SqliteConnectionSetup Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Prepare(connection);
        try
        {
            command?.ExecuteNonQuery();
        }
        catch
        {
            Forget(connection);
            throw;
        }
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = Prepare(connection);
        try
        {
            if (command is not null)
                await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            Forget(connection);
            throw;
        }
    }

    /// <summary>The pragmas did not run (a cancelled open): the next open of this handle runs them.</summary>
    private static void Forget(DbConnection connection)
    {
        if (((SqliteConnection)connection).Handle is { } handle)
            HasPragmas.Remove(handle);
    }

    /// <summary>Registers lower() if this connection object lacks it; the pragmas to run if this handle lacks them.</summary>
    private static SqliteCommand? Prepare(DbConnection connection)
    {
        var sqlite = (SqliteConnection)connection;
        if (HasLower.TryAdd(sqlite, HasLower))
            sqlite.CreateFunction("lower", (string? value) => value?.ToLowerInvariant(), isDeterministic: true);
        if (!HasPragmas.TryAdd(sqlite.Handle!, HasPragmas))
            return null;
        var command = sqlite.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;";
        return command;
    }
}

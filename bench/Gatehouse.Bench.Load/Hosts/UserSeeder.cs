using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gatehouse.Bench.Load.Hosts;

/// <summary>
/// Fills a Gatehouse store with many users in one bulk SQL statement (not through the API, which would take hours
/// for a million): copies of a user that a real federated login provisioned, each with its own user_id, email and
/// external key, so the indexes a login uses hold the full count.
/// </summary>
public static class UserSeeder
{
    private const string Columns = "user_id, connection_id, email, email_lower, email_verified, username, username_lower, phone_number, name, " +
        "given_name, family_name, nickname, picture, password_hash, external_key, identities, user_metadata, app_metadata, attributes, blocked, " +
        "created_at, updated_at, last_login, last_ip, logins_count, last_password_reset, version";

    /// <summary>The copies' values: the template row (alias t) with i (offset+1..offset+count) in every unique column.</summary>
    private const string Values = "'waad|seed-' || i, t.connection_id, 'seed-' || i || '@contoso.com', 'seed-' || i || '@contoso.com', t.email_verified, " +
        "NULL, NULL, NULL, t.name, t.given_name, t.family_name, t.nickname, t.picture, NULL, t.external_key || '-seed-' || i, " +
        "replace(t.identities, t.external_key, t.external_key || '-seed-' || i), NULL, NULL, t.attributes, t.blocked, " +
        "t.created_at, t.updated_at, t.last_login, t.last_ip, t.logins_count, NULL, 1";

    public static async Task SeedAsync(GatehouseHost gatehouse, int count, int offset)
    {
        ArgumentNullException.ThrowIfNull(gatehouse);
        if (count <= 0)
            return;
        var sqlite = gatehouse.Store.Provider == "sqlite";
        await using DbConnection db = sqlite
            ? new SqliteConnection($"Data Source={Path.Combine(gatehouse.DataDir, "gatehouse.db")}")
            : new NpgsqlConnection(gatehouse.Store.ConnectionString);
        await db.OpenAsync();
        var template = $"(SELECT * FROM users WHERE connection_id = '{gatehouse.Setup.WaadConnectionId}' AND external_key IS NOT NULL ORDER BY seq LIMIT 1) t";
        var sql = sqlite
            ? $"WITH RECURSIVE n(i) AS (SELECT {offset + 1} UNION ALL SELECT i + 1 FROM n WHERE i < {offset + count}) INSERT INTO users ({Columns}) SELECT {Values} FROM n, {template};"
            : $"INSERT INTO users ({Columns}) SELECT {Values} FROM generate_series({offset + 1}, {offset + count}) AS i, {template}; ANALYZE users;";
        await using (var command = db.CreateCommand())
        {
            command.CommandText = sql;
            command.CommandTimeout = 1800;
            var inserted = await command.ExecuteNonQueryAsync();
            if (inserted < count)
                throw new InvalidOperationException($"seeding inserted {inserted} of {count} users (no provisioned template user?)");
        }
        if (sqlite)
        {
            await using var analyze = db.CreateCommand();
            analyze.CommandText = "ANALYZE;";
            await analyze.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A fresh PostgreSQL database for one Gatehouse, on the server bench/run started.</summary>
    public static async Task<string> CreatePostgresDatabaseAsync(string serverConnectionString, string name)
    {
        await using var db = new NpgsqlConnection(serverConnectionString);
        await db.OpenAsync();
        await using (var drop = db.CreateCommand())
        {
            drop.CommandText = $"DROP DATABASE IF EXISTS {name}";
            await drop.ExecuteNonQueryAsync();
        }
        await using (var create = db.CreateCommand())
        {
            create.CommandText = $"CREATE DATABASE {name}";
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ToString();
    }
}

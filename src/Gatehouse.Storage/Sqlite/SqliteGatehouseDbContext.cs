using Gatehouse.Storage.Diagnostics;
using Gatehouse.Storage.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Sqlite;

/// <summary>The model on SQLite; its migrations live in Migrations/Sqlite.</summary>
public sealed class SqliteGatehouseDbContext : GatehouseDbContext
{
    // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE.
    private const int PrimaryKeyViolation = 1555;
    private const int UniqueViolation = 2067;

    public SqliteGatehouseDbContext(DbContextOptions<SqliteGatehouseDbContext> options) : base(options) { }

    internal static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString)
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .AddInterceptors(SqliteConnectionSetup.Instance, StoreTelemetryInterceptor.Instance);

    internal override bool IsUniqueViolation(Exception exception) =>
        ((exception as DbUpdateException)?.InnerException ?? exception) is SqliteException { SqliteExtendedErrorCode: PrimaryKeyViolation or UniqueViolation };

    internal override async Task PrepareDatabaseAsync(CancellationToken ct)
    {
        var dataSource = new SqliteConnectionStringBuilder(Database.GetConnectionString()).DataSource;
        var path = Path.GetFullPath(dataSource);
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        else
            SqliteFileModes.OwnerOnly(path);
        // WAL is a property of the database file: set once, every later connection uses it.
        await Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}

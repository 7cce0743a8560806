using Gatehouse.Storage.Diagnostics;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Gatehouse.Storage.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gatehouse.Storage.Postgres;

/// <summary>
/// The model on PostgreSQL; its migrations live in Migrations/Postgres. It also holds ASP.NET Core's data-protection
/// keys, which only PostgreSQL needs in the database: its nodes share them, so a cookie one node wrote opens on another.
/// </summary>
public sealed class PostgresGatehouseDbContext : GatehouseDbContext, IDataProtectionKeyContext
{
    public PostgresGatehouseDbContext(DbContextOptions<PostgresGatehouseDbContext> options) : base(options) { }

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<DataProtectionKey>(e =>
        {
            e.ToTable("data_protection_keys");
            e.Property(k => k.Id).HasColumnName("id");
            e.Property(k => k.FriendlyName).HasColumnName("friendly_name");
            e.Property(k => k.Xml).HasColumnName("xml"); // encrypted by the master key before it gets here
        });
    }

    internal static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(WithoutResetOnClose(connectionString)).UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .AddInterceptors(StoreTelemetryInterceptor.Instance);

    /// <summary>
    /// Npgsql resets a pooled connection's session (<c>DISCARD ALL</c>) before it is used again: one more statement, so
    /// one more PostgreSQL transaction, for each of a login's queries. The store never changes session state (no SET, no
    /// temporary tables, no prepared statements; LISTEN runs on a data source of its own), so the reset buys nothing.
    /// A connection string that names the setting keeps its choice.
    /// </summary>
    internal static string WithoutResetOnClose(string connectionString)
    {
        var named = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (named.ContainsKey("No Reset On Close") || named.ContainsKey("NoResetOnClose"))
            return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
    }

    internal override bool IsUniqueViolation(Exception exception) =>
        ((exception as DbUpdateException)?.InnerException ?? exception) is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}

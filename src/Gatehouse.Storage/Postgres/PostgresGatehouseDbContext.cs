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
        builder.UseNpgsql(connectionString).UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .AddInterceptors(StoreTelemetryInterceptor.Instance);

    internal override bool IsUniqueViolation(Exception exception) =>
        ((exception as DbUpdateException)?.InnerException ?? exception) is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}

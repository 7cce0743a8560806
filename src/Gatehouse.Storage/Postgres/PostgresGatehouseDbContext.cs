using Gatehouse.Storage.Diagnostics;
using Gatehouse.Storage.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gatehouse.Storage.Postgres;

/// <summary>The model on PostgreSQL; its migrations live in Migrations/Postgres.</summary>
public sealed class PostgresGatehouseDbContext : GatehouseDbContext
{
    public PostgresGatehouseDbContext(DbContextOptions<PostgresGatehouseDbContext> options) : base(options) { }

    internal static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString).UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .AddInterceptors(StoreTelemetryInterceptor.Instance);

    internal override bool IsUniqueViolation(Exception exception) =>
        ((exception as DbUpdateException)?.InnerException ?? exception) is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}

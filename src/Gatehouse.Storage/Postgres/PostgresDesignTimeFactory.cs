using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gatehouse.Storage.Postgres;

/// <summary>
/// Lets <c>dotnet ef migrations add --context PostgresGatehouseDbContext</c> build the model; adding a migration
/// never connects, so the connection string only has to parse.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresGatehouseDbContext>
{
    public PostgresGatehouseDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresGatehouseDbContext>();
        PostgresGatehouseDbContext.Configure(builder, "Host=127.0.0.1;Database=gatehouse_design;Username=postgres");
        return new PostgresGatehouseDbContext(builder.Options);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gatehouse.Storage.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add --context SqliteGatehouseDbContext</c> build the model without a host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteGatehouseDbContext>
{
    public SqliteGatehouseDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteGatehouseDbContext>();
        SqliteGatehouseDbContext.Configure(builder, "Data Source=gatehouse-design.db");
        return new SqliteGatehouseDbContext(builder.Options);
    }
}

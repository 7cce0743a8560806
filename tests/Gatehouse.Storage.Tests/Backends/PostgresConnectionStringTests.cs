using Gatehouse.Storage.Postgres;
using Npgsql;

namespace Gatehouse.Storage.Tests.Backends;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void The_store_skips_the_session_reset_of_pooled_connections_unless_the_operator_chose()
    {
        var plain = new NpgsqlConnectionStringBuilder(PostgresGatehouseDbContext.WithoutResetOnClose("Host=127.0.0.1;Username=u;Database=d"));
        Assert.True(plain.NoResetOnClose);
        Assert.Equal("127.0.0.1", plain.Host);
        Assert.Equal("d", plain.Database);

        foreach (var chosen in new[] { "Host=h;No Reset On Close=false", "Host=h;NoResetOnClose=false", "Host=h;no reset on close=false" })
            Assert.False(new NpgsqlConnectionStringBuilder(PostgresGatehouseDbContext.WithoutResetOnClose(chosen)).NoResetOnClose);
    }
}

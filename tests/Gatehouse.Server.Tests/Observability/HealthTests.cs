using System.Net;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Server.Tests.Observability;

/// <summary>/health/live and /health/ready: right answers when the store is up and when it has gone, and no details either way.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Ready_when_the_store_answers_and_keys_are_loaded_not_ready_once_the_database_is_gone()
    {
        var server = await GatehouseTestServer.StartAsync();
        var moved = server.DataDir + "-moved";
        try
        {
            await AssertAnswerAsync(server, "health/live", HttpStatusCode.OK, "Healthy");
            await AssertAnswerAsync(server, "health/ready", HttpStatusCode.OK, "Healthy");

            // The volume goes away: the database file is no longer where the connection string says.
            Directory.Move(server.DataDir, moved);
            SqliteConnection.ClearAllPools();

            await AssertAnswerAsync(server, "health/ready", HttpStatusCode.ServiceUnavailable, "Unhealthy");
            await AssertAnswerAsync(server, "health/live", HttpStatusCode.OK, "Healthy");

            // Back in place: ready again.
            Directory.Move(moved, server.DataDir);
            SqliteConnection.ClearAllPools();
            await AssertAnswerAsync(server, "health/ready", HttpStatusCode.OK, "Healthy");
        }
        finally
        {
            if (Directory.Exists(moved) && !Directory.Exists(server.DataDir))
                Directory.Move(moved, server.DataDir);
            await server.DisposeAsync();
        }
    }

    /// <summary>The body is the status word alone: an anonymous caller learns neither which check failed nor why.</summary>
    private static async Task AssertAnswerAsync(GatehouseTestServer server, string path, HttpStatusCode status, string body)
    {
        using var response = await server.Client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.CacheControl?.NoStore == true || response.Headers.CacheControl?.NoCache == true, $"{path} may be cached");
    }
}

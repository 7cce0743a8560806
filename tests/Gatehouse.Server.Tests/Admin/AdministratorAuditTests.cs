using System.Text.Json;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Auth;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Admin;

/// <summary>
/// Creating a dashboard administrator, the one admin write outside the admin services, is audited like them: one sapi
/// event naming the system component (first start: bootstrap; the host's admin add: admin-command), with no password.
/// </summary>
public sealed class AdministratorAuditTests
{
    [Fact]
    public async Task The_first_administrator_and_one_added_at_the_host_are_each_one_system_event_without_the_password()
    {
        await using var server = await GatehouseTestServer.StartAsync();
        var first = FirstAdministrator.Read(Path.Combine(server.DataDir, Bootstrapper.BootstrapFileName))!;
        var atStart = Assert.Single(await CreationsAsync(server));
        AssertSystemEvent(atStart, "bootstrap");

        using var output = new StringWriter();
        Assert.Equal(0, await AdminCommand.TryRunAsync(["admin", "add", "second.admin@example.com", "--data-dir", server.DataDir], output, TextWriter.Null));
        var password = output.ToString().Split("(shown once): ")[1].Trim();

        var creations = await CreationsAsync(server);
        Assert.Equal(2, creations.Count);
        var added = Assert.Single(creations, e => e.LogId != atStart.LogId);
        AssertSystemEvent(added, "admin-command");
        var administrators = await server.Services.GetRequiredService<Core.Administrators.IAdministratorStore>().ListAsync(CancellationToken.None);
        foreach (var logged in creations.Select(e => JsonSerializer.Serialize(e)))
        {
            Assert.DoesNotContain(first.Password, logged, StringComparison.Ordinal);
            Assert.DoesNotContain(password, logged, StringComparison.Ordinal);
            Assert.All(administrators, a => Assert.DoesNotContain(a.PasswordHash, logged, StringComparison.Ordinal));
        }
    }

    private static async Task<List<LogEvent>> CreationsAsync(GatehouseTestServer server) =>
        (await server.LogsOfTypeAsync(LogTypes.ManagementApiWrite)).Where(e => e.Description == AdministratorAccounts.Created.Description).ToList();

    private static void AssertSystemEvent(LogEvent e, string component)
    {
        var request = e.Details!.Value.GetProperty("request");
        Assert.Equal("system", request.GetProperty("channel").GetString());
        Assert.Equal(component, request.GetProperty("auth").GetProperty("subject").GetString());
        Assert.Equal("/dashboard/administrators", request.GetProperty("path").GetString());
        Assert.Null(e.ClientId);
    }
}

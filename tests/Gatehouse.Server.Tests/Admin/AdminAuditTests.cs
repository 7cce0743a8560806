using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Admin;

/// <summary>Every admin write is audited once with its actor: the Management API client, or the dashboard's administrator.</summary>
public sealed class AdminAuditTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private async Task<IReadOnlyList<LogEvent>> WritesToAsync(string path) =>
        (await tenant.LogsOfTypeAsync(LogTypes.ManagementApiWrite)).Where(e => Request(e).GetProperty("path").GetString() == path).ToList();

    private static JsonElement Request(LogEvent e) => e.Details!.Value.GetProperty("request");

    private static void AssertDashboardEvent(IReadOnlyList<LogEvent> events, string description, string email)
    {
        var only = Assert.Single(events);
        Assert.Equal(description, only.Description);
        Assert.Equal("dashboard", Request(only).GetProperty("channel").GetString());
        var user = Request(only).GetProperty("auth").GetProperty("user");
        Assert.Equal(email, user.GetProperty("email").GetString());
        Assert.False(string.IsNullOrEmpty(user.GetProperty("user_id").GetString()));
    }

    /// <summary>Runs one Management API write and answers the sapi events it added for its method and path.</summary>
    private async Task<List<LogEvent>> ApiWriteAsync(string method, string path, Func<Task> write)
    {
        bool Matches(LogEvent e) => Request(e).GetProperty("method").GetString() == method && Request(e).GetProperty("path").GetString() == path;
        var before = (await tenant.LogsOfTypeAsync(LogTypes.ManagementApiWrite)).Where(Matches).Select(e => e.LogId).ToHashSet();
        await write();
        return (await tenant.LogsOfTypeAsync(LogTypes.ManagementApiWrite)).Where(e => Matches(e) && !before.Contains(e.LogId)).ToList();
    }

    [Fact]
    public async Task A_management_api_write_of_each_aggregate_is_one_event_naming_the_api_client()
    {
        string clientId = "", userId = "";
        var writes = new List<List<LogEvent>>
        {
            await ApiWriteAsync("post", "/api/v2/clients", async () =>
                clientId = (await tenant.PostAsync("clients", new { name = "Audited API App", app_type = "regular_web" })).GetProperty("client_id").GetString()!),
            await ApiWriteAsync("post", "/api/v2/connections", () => tenant.PostAsync("connections", new { name = "audited-api-db", strategy = "auth0" })),
            await ApiWriteAsync("post", "/api/v2/users", async () => userId = (await tenant.PostAsync("users",
                new { connection = "audited-api-db", email = "audited.api@example.com", password = "Audit-Passw0rd!" })).GetProperty("user_id").GetString()!),
            await ApiWriteAsync("post", "/api/v2/resource-servers", () => tenant.PostAsync("resource-servers", new { identifier = "https://audited.api.test/", name = "Audited API" })),
            await ApiWriteAsync("post", "/api/v2/client-grants", () => tenant.PostAsync("client-grants",
                new { client_id = clientId, audience = "https://audited.api.test/", scope = Array.Empty<string>() })),
            await ApiWriteAsync("patch", "/api/v2/tenants/settings", async () =>
                Assert.Equal(HttpStatusCode.OK, (await tenant.Management.PatchAsJsonAsync("tenants/settings", new { friendly_name = "Audited" })).StatusCode)),
        };
        writes.Add(await ApiWriteAsync("patch", "/api/v2/users/" + userId, async () =>
            Assert.Equal(HttpStatusCode.OK, (await tenant.Management.PatchAsJsonAsync("users/" + Uri.EscapeDataString(userId), new { blocked = true })).StatusCode)));

        foreach (var events in writes)
        {
            var only = Assert.Single(events);
            Assert.Equal(tenant.Server.ManagementClientId, only.ClientId);
            Assert.Equal("api", Request(only).GetProperty("channel").GetString());
        }
    }

    [Fact]
    public async Task A_management_api_write_through_each_later_admin_service_is_one_event_naming_the_api_client()
    {
        var api = tenant.Management;
        var client = await tenant.PostAsync("clients", new { name = "Audited Grant App", app_type = "non_interactive" });
        var clientId = client.GetProperty("client_id").GetString()!;
        var resourceServer = await tenant.PostAsync("resource-servers", new { identifier = "https://audited.later.test/", scopes = new[] { new { value = "read:x" } } });
        var resourceServerId = resourceServer.GetProperty("id").GetString()!;
        var grantId = (await tenant.PostAsync("client-grants", new { client_id = clientId, audience = "https://audited.later.test/", scope = Array.Empty<string>() }))
            .GetProperty("id").GetString()!;
        string? kid = null;
        var writes = new List<List<LogEvent>>
        {
            await ApiWriteAsync("patch", "/api/v2/client-grants/" + grantId, async () =>
                await HttpAssert.OkJsonAsync(await api.PatchAsJsonAsync("client-grants/" + grantId, new { scope = new[] { "read:x" } }))),
            await ApiWriteAsync("delete", "/api/v2/client-grants/" + grantId, async () =>
                Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("client-grants/" + grantId)).StatusCode)),
            await ApiWriteAsync("patch", "/api/v2/resource-servers/" + resourceServerId, async () =>
                await HttpAssert.OkJsonAsync(await api.PatchAsJsonAsync("resource-servers/" + resourceServerId, new { name = "Renamed" }))),
            await ApiWriteAsync("delete", "/api/v2/resource-servers/" + resourceServerId, async () =>
                Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("resource-servers/" + resourceServerId)).StatusCode)),
            await ApiWriteAsync("patch", "/api/v2/attack-protection/brute-force-protection", async () =>
                await HttpAssert.OkJsonAsync(await api.PatchAsJsonAsync("attack-protection/brute-force-protection", new { enabled = true }))),
            await ApiWriteAsync("delete", "/api/v2/user-blocks", async () =>
                Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("user-blocks?identifier=nobody%40example.com")).StatusCode)),
            await ApiWriteAsync("delete", "/api/v2/user-blocks/" + tenant.UserId, async () =>
                Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("user-blocks/" + Uri.EscapeDataString(tenant.UserId))).StatusCode)),
            await ApiWriteAsync("delete", "/api/v2/anomaly/blocks/ips/203.0.113.9", async () =>
                Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("anomaly/blocks/ips/203.0.113.9")).StatusCode)),
            // Rotated twice so the key revoked is not the one that signed this client's token.
            await ApiWriteAsync("post", "/api/v2/keys/signing/rotate", async () =>
                kid = (await HttpAssert.OkJsonAsync(await api.PostAsync("keys/signing/rotate", null), HttpStatusCode.Created)).GetProperty("kid").GetString()),
        };
        await HttpAssert.OkJsonAsync(await api.PostAsync("keys/signing/rotate", null), HttpStatusCode.Created);
        writes.Add(await ApiWriteAsync("put", $"/api/v2/keys/signing/{kid}/revoke", async () =>
            await HttpAssert.OkJsonAsync(await api.PutAsync($"keys/signing/{kid}/revoke", null))));

        foreach (var events in writes)
        {
            var only = Assert.Single(events);
            Assert.Equal(tenant.Server.ManagementClientId, only.ClientId);
            Assert.Equal("api", Request(only).GetProperty("channel").GetString());
        }
    }

    [Fact]
    public async Task Bootstrap_and_demo_seeding_are_audited_naming_the_system_and_a_restart_only_follows_the_new_issuer()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "gatehouse-tests", Guid.NewGuid().ToString("N"));
        try
        {
            IReadOnlyList<LogEvent> first;
            await using (var server = await GatehouseTestServer.StartAsync(c => { c["Gatehouse:DataDir"] = dataDir; c["Gatehouse:Demo"] = "true"; }))
                first = await SystemWritesAsync(server);

            Assert.All(first, e => Assert.Null(e.ClientId));
            Assert.Equal(["Create a client", "Create a dashboard administrator", "Create a resource server", "Create client grant", "Update a resource server",
                "Update tenant settings"], DescriptionsBy(first, "bootstrap"));
            Assert.Equal(["Create a client", "Create a client", "Create a connection", "Create a connection", "Create a connection", "Create a connection", "Create a resource server", "Create a user",
                "Create a user", "Update tenant settings"], DescriptionsBy(first, "demo"));
            Assert.Equal(first.Count, DescriptionsBy(first, "bootstrap").Count + DescriptionsBy(first, "demo").Count);

            // A second start (on a new port, so a new issuer) re-points the Management API and its grant; the demo adds nothing.
            await using var again = await GatehouseTestServer.StartAsync(c => { c["Gatehouse:DataDir"] = dataDir; c["Gatehouse:Demo"] = "true"; });
            var known = first.Select(e => e.LogId).ToHashSet();
            var added = (await SystemWritesAsync(again)).Where(e => !known.Contains(e.LogId)).ToList();
            Assert.Equal(["Create client grant", "Delete client grant", "Update a resource server"], DescriptionsBy(added, "bootstrap"));
            Assert.Equal(3, added.Count);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<LogEvent>> SystemWritesAsync(GatehouseTestServer server) =>
        (await server.LogsOfTypeAsync(LogTypes.ManagementApiWrite)).Where(e => Request(e).GetProperty("channel").GetString() == "system").ToList();

    private static List<string> DescriptionsBy(IEnumerable<LogEvent> events, string component) =>
        events.Where(e => Request(e).GetProperty("auth").GetProperty("subject").GetString() == component).Select(e => e.Description!).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Dashboard_edit_application_and_rotate_secret_are_audited_naming_the_administrator()
    {
        var client = await tenant.PostAsync("clients", new { name = "Audited Dashboard App", app_type = "regular_web" });
        var id = client.GetProperty("client_id").GetString()!;
        using var dashboard = await DashboardSession.SignInAsync(tenant.Server);
        var page = $"dashboard/applications/edit/{id}";

        var edited = await dashboard.PostFormAsync(page, page + "?handler=Grants",
            new() { ["grantTypes"] = "client_credentials", ["method"] = "client_secret_basic" });
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        AssertDashboardEvent(await WritesToAsync("/api/v2/clients/" + id), "Update a client", dashboard.Email);
        Assert.Equal("client_secret_basic", (await tenant.Server.Store.GetClientAsync(id, default))!.TokenEndpointAuthMethod);

        var before = (await tenant.Server.Store.GetClientAsync(id, default))!.ClientSecretProtected;
        var rotated = await dashboard.PostFormAsync(page, page + "?handler=Rotate", []);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.NotEqual(before, (await tenant.Server.Store.GetClientAsync(id, default))!.ClientSecretProtected);
        AssertDashboardEvent(await WritesToAsync($"/api/v2/clients/{id}/rotate-secret"), "Rotate a client secret", dashboard.Email);
    }

    [Fact]
    public async Task Dashboard_block_user_is_audited_naming_the_administrator()
    {
        await tenant.PostAsync("connections", new { name = "audited-block-db", strategy = "auth0" });
        var user = await tenant.PostAsync("users", new { connection = "audited-block-db", email = "audited.block@example.com", password = "Audit-Passw0rd!" });
        var userId = user.GetProperty("user_id").GetString()!;
        using var dashboard = await DashboardSession.SignInAsync(tenant.Server);
        var page = "dashboard/users/detail?id=" + Uri.EscapeDataString(userId);

        var blocked = await dashboard.PostFormAsync(page, page + "&handler=Block", new() { ["blocked"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
        Assert.True((await tenant.Server.Store.GetUserAsync(userId, default))!.Blocked);
        AssertDashboardEvent(await WritesToAsync("/api/v2/users/" + userId), "Update a user", dashboard.Email);
    }

    [Fact]
    public async Task Dashboard_delete_connection_with_its_users_is_audited_naming_the_administrator()
    {
        var connection = await tenant.PostAsync("connections", new { name = "audited-delete-db", strategy = "auth0" });
        await tenant.PostAsync("users", new { connection = "audited-delete-db", email = "audited.delete@example.com", password = "Audit-Passw0rd!" });
        var id = connection.GetProperty("id").GetString()!;
        using var dashboard = await DashboardSession.SignInAsync(tenant.Server);
        var page = $"dashboard/connections/database/edit/{id}";

        var deleted = await dashboard.PostFormAsync(page, page + "?handler=Delete", []);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Null(await tenant.Server.Store.GetConnectionAsync(id, default));
        AssertDashboardEvent(await WritesToAsync("/api/v2/connections/" + id), "Delete a connection", dashboard.Email);
    }

    [Fact]
    public async Task A_dashboard_form_shows_the_admin_layers_problem_beside_its_field_and_writes_nothing()
    {
        using var dashboard = await DashboardSession.SignInAsync(tenant.Server);
        var page = "dashboard/connections/database/edit";
        var refused = await dashboard.PostFormAsync(page, page, new() { ["name"] = "not a valid name", ["passwordPolicy"] = "good" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("id=\"name-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await tenant.Server.Store.GetConnectionByNameAsync("not a valid name", default));
        Assert.DoesNotContain(await tenant.LogsOfTypeAsync(LogTypes.ManagementApiWrite), e => Request(e).GetProperty("channel").GetString() == "dashboard"
            && e.Description == "Create a connection");
    }
}

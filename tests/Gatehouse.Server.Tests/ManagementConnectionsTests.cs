using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests;

/// <summary>/api/v2/connections: filters, both pagings, the secret rule, enabled clients, errors and scopes.</summary>
public class ManagementConnectionsTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private HttpClient Api => tenant.Management;

    private static object WaadOptions(string? secret) => secret is null
        ? new { tenant_domain = "contoso.example", client_id = "c8b7a6d5-1234-4abc-9def-001122334455" }
        : new { tenant_domain = "contoso.example", client_id = "c8b7a6d5-1234-4abc-9def-001122334455", client_secret = secret };

    private static IEnumerable<string?> Names(JsonElement array) => array.EnumerateArray().Select(c => c.GetProperty("name").GetString());

    [Fact]
    public async Task Lists_filter_by_repeated_strategy_and_name_and_select_fields()
    {
        await tenant.PostAsync("connections", new { name = "filter-db", strategy = "auth0" });
        await tenant.PostAsync("connections", new { name = "filter-waad", strategy = "waad", options = WaadOptions(null) });

        var both = await HttpAssert.OkJsonAsync(await Api.GetAsync("connections?strategy=waad&strategy=auth0&per_page=100"));
        Assert.Contains("filter-db", Names(both));
        Assert.Contains("filter-waad", Names(both));
        var waad = await HttpAssert.OkJsonAsync(await Api.GetAsync("connections?strategy=waad"));
        Assert.All(waad.EnumerateArray(), c => Assert.Equal("waad", c.GetProperty("strategy").GetString()));
        Assert.Equal(["filter-waad"], Names(await HttpAssert.OkJsonAsync(await Api.GetAsync("connections?name=filter-waad"))));
        Assert.Empty((await HttpAssert.OkJsonAsync(await Api.GetAsync("connections?name=filter-waad&strategy=auth0"))).EnumerateArray());

        var fields = await HttpAssert.OkJsonAsync(await Api.GetAsync("connections?name=filter-db&fields=id,name"));
        Assert.Equal(["id", "name"], fields[0].EnumerateObject().Select(p => p.Name).Order());
        var without = await HttpAssert.OkJsonAsync(await Api.GetAsync("connections?name=filter-db&fields=options,realms&include_fields=false"));
        Assert.False(without[0].TryGetProperty("options", out _));
        Assert.True(without[0].TryGetProperty("strategy", out _));
    }

    [Fact]
    public async Task Offset_and_checkpoint_paging_walk_every_connection_once()
    {
        for (var i = 0; i < 3; i++)
            await tenant.PostAsync("connections", new { name = $"page-{i}", strategy = "auth0" });
        var all = Names(await HttpAssert.OkJsonAsync(await Api.GetAsync("connections?per_page=100"))).ToList();

        var offset = await HttpAssert.OkJsonAsync(await Api.GetAsync("connections?page=1&per_page=2&include_totals=true"));
        Assert.Equal((2, 2, all.Count), (offset.GetProperty("start").GetInt32(), offset.GetProperty("limit").GetInt32(), offset.GetProperty("total").GetInt32()));
        Assert.Equal(all.Skip(2).Take(2), Names(offset.GetProperty("connections")));

        var walked = new List<string?>();
        var url = "connections?take=2";
        while (true)
        {
            var page = await HttpAssert.OkJsonAsync(await Api.GetAsync(url));
            Assert.True(page.GetProperty("connections").GetArrayLength() <= 2);
            walked.AddRange(Names(page.GetProperty("connections")));
            if (!page.TryGetProperty("next", out var next))
                break;
            url = $"connections?take=2&from={Uri.EscapeDataString(next.GetString()!)}";
        }
        Assert.Equal(all, walked);

        Assert.Contains("from", await HttpAssert.ManagementErrorAsync(await Api.GetAsync("connections?from=garbage"), 400, "invalid_query_string"), StringComparison.Ordinal);
        Assert.Contains("take", await HttpAssert.ManagementErrorAsync(await Api.GetAsync("connections?take=0"), 400, "invalid_query_string"), StringComparison.Ordinal);
        Assert.Contains("per_page", await HttpAssert.ManagementErrorAsync(await Api.GetAsync("connections?per_page=101"), 400, "invalid_query_string"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_secret_is_shown_only_with_read_connections_options_and_such_reads_are_audited()
    {
        var created = await tenant.PostAsync("connections", new { name = "secret-waad", strategy = "waad", options = WaadOptions("s3cret-value-123") });
        var id = created.GetProperty("id").GetString()!;

        var before = (await tenant.LogsOfTypeAsync("mgmt_api_read")).Count;
        var full = await HttpAssert.OkJsonAsync(await Api.GetAsync($"connections/{id}"));
        Assert.Equal("s3cret-value-123", full.GetProperty("options").GetProperty("client_secret").GetString());
        var audit = await tenant.LogsOfTypeAsync("mgmt_api_read");
        Assert.Equal(before + 1, audit.Count);
        Assert.Equal(tenant.Server.ManagementClientId, audit[0].ClientId);

        using var reader = await tenant.ManagementWithScopesAsync("read:connections");
        var plain = await HttpAssert.OkJsonAsync(await reader.GetAsync($"connections/{id}"));
        Assert.False(plain.TryGetProperty("options", out _));
        Assert.DoesNotContain("s3cret", plain.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", (await reader.GetStringAsync("connections?strategy=waad")), StringComparison.Ordinal);
        Assert.Equal(before + 1, (await tenant.LogsOfTypeAsync("mgmt_api_read")).Count);

        // A PATCH that leaves client_secret out keeps the stored one; options are otherwise replaced whole.
        var patched = await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"connections/{id}", new
        {
            options = new { tenant_domain = "fabrikam.example", client_id = "c8b7a6d5-1234-4abc-9def-001122334455" },
        }));
        Assert.Equal(("fabrikam.example", "s3cret-value-123"), (patched.GetProperty("options").GetProperty("tenant_domain").GetString(), patched.GetProperty("options").GetProperty("client_secret").GetString()));

        // Sent as null, it is removed.
        var cleared = await HttpAssert.OkJsonAsync(await Api.PatchAsync($"connections/{id}", JsonContent.Create(JsonDocument.Parse(
            """{"options":{"tenant_domain":"fabrikam.example","client_id":"c8b7a6d5-1234-4abc-9def-001122334455","client_secret":null}}""").RootElement)));
        Assert.False(cleared.GetProperty("options").TryGetProperty("client_secret", out _));

        // Stored encrypted: the raw options never hold the secret in clear.
        await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"connections/{id}", new { options = WaadOptions("an0ther-secret-456") }));
        var stored = await tenant.Server.Store.GetConnectionAsync(id, CancellationToken.None);
        Assert.DoesNotContain("an0ther-secret-456", stored!.Options.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_need_the_options_scopes_and_name_and_strategy_are_immutable()
    {
        var id = (await tenant.PostAsync("connections", new { name = "scoped-db", strategy = "auth0" })).GetProperty("id").GetString()!;
        using var updater = await tenant.ManagementWithScopesAsync("update:connections");
        var snapshot = await tenant.SnapshotAsync();
        Assert.Equal("Insufficient scope, expected any of: update:connections_options",
            await HttpAssert.ManagementErrorAsync(await updater.PatchAsJsonAsync($"connections/{id}", new { options = new { } }), 403, "insufficient_scope"));
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
        var renamed = await HttpAssert.OkJsonAsync(await updater.PatchAsJsonAsync($"connections/{id}", new { display_name = "Scoped" }));
        Assert.Equal("Scoped", renamed.GetProperty("display_name").GetString());
        Assert.False(renamed.TryGetProperty("options", out _));

        Assert.Contains("name", await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync($"connections/{id}", new { name = "other" }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Contains("strategy", await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync($"connections/{id}", new { strategy = "waad" }), 400, "invalid_body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_errors_are_auth0_shaped_and_change_nothing()
    {
        await tenant.PostAsync("connections", new { name = "taken-name", strategy = "auth0" });
        var snapshot = await tenant.SnapshotAsync();
        Assert.Equal("A connection with the same name already exists",
            await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("connections", new { name = "taken-name", strategy = "auth0" }), 409, "connection_conflict"));
        Assert.Contains("on property name", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("connections", new { name = "bad name!", strategy = "auth0" }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Contains("strategy", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("connections", new { name = "no-such", strategy = "nope" }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Contains("Additional properties not allowed: colour", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("connections", new { name = "extra", strategy = "auth0", colour = "red" }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Contains("client_id", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("connections", new { name = "waad-no-client", strategy = "waad", options = new { tenant_domain = "contoso.example" } }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Equal(snapshot, await tenant.SnapshotAsync());

        Assert.Equal("The connection does not exist.", await HttpAssert.ManagementErrorAsync(await Api.GetAsync("connections/con_missing"), 404, "inexistent_connection"));
        await HttpAssert.ManagementErrorAsync(await Api.DeleteAsync("connections/con_missing"), 404, "inexistent_connection");
        await HttpAssert.ManagementErrorAsync(await Api.GetAsync("connections/con_missing/clients"), 404, "inexistent_connection");
    }

    [Fact]
    public async Task Enabled_clients_through_the_clients_endpoint_and_the_deprecated_field()
    {
        var apps = new List<string>();
        for (var i = 0; i < 3; i++)
            apps.Add((await tenant.PostAsync("clients", new { name = $"App {i}", app_type = "native" })).GetProperty("client_id").GetString()!);
        var connection = await tenant.PostAsync("connections", new { name = "clients-db", strategy = "auth0", enabled_clients = new[] { apps[0] } });
        var id = connection.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.NoContent, (await Api.PatchAsJsonAsync($"connections/{id}/clients",
            new object[] { new { client_id = apps[1], status = true }, new { client_id = apps[2], status = true }, new { client_id = apps[0], status = false } })).StatusCode);

        var first = await HttpAssert.OkJsonAsync(await Api.GetAsync($"connections/{id}/clients?take=1"));
        var second = await HttpAssert.OkJsonAsync(await Api.GetAsync($"connections/{id}/clients?take=1&from={Uri.EscapeDataString(first.GetProperty("next").GetString()!)}"));
        Assert.False(second.TryGetProperty("next", out _));
        Assert.Equal([apps[1], apps[2]], new[] { first, second }.Select(p => p.GetProperty("clients")[0].GetProperty("client_id").GetString()));

        var fetched = await HttpAssert.OkJsonAsync(await Api.GetAsync($"connections/{id}"));
        Assert.Equal([apps[1], apps[2]], fetched.GetProperty("enabled_clients").EnumerateArray().Select(c => c.GetString()));
        await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"connections/{id}", new { enabled_clients = new[] { apps[0] } }));
        var listed = await HttpAssert.OkJsonAsync(await Api.GetAsync($"connections/{id}/clients"));
        Assert.Equal([apps[0]], listed.GetProperty("clients").EnumerateArray().Select(c => c.GetProperty("client_id").GetString()));

        var snapshot = await tenant.SnapshotAsync();
        await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync($"connections/{id}/clients", Array.Empty<object>()), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync($"connections/{id}/clients", new[] { new { client_id = apps[0] } }), 400, "invalid_body");
        using var reader = await tenant.ManagementWithScopesAsync("read:connections");
        snapshot = await tenant.SnapshotAsync();
        await HttpAssert.ManagementErrorAsync(await reader.PatchAsJsonAsync($"connections/{id}/clients", new[] { new { client_id = apps[1], status = true } }), 403, "insufficient_scope");
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
        await HttpAssert.OkJsonAsync(await reader.GetAsync($"connections/{id}/clients"));
    }

    [Fact]
    public async Task Delete_is_204_then_404_and_needs_delete_connections()
    {
        var id = (await tenant.PostAsync("connections", new { name = "doomed", strategy = "auth0" })).GetProperty("id").GetString()!;
        using var reader = await tenant.ManagementWithScopesAsync("read:connections");
        Assert.Equal("Insufficient scope, expected any of: delete:connections", await HttpAssert.ManagementErrorAsync(await reader.DeleteAsync($"connections/{id}"), 403, "insufficient_scope"));
        await HttpAssert.ManagementErrorAsync(await reader.PostAsJsonAsync("connections", new { name = "nope", strategy = "auth0" }), 403, "insufficient_scope");
        using var nobody = await tenant.ManagementWithScopesAsync("read:users");
        await HttpAssert.ManagementErrorAsync(await nobody.GetAsync("connections"), 403, "insufficient_scope");
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"connections/{id}")).StatusCode);
        await HttpAssert.ManagementErrorAsync(await Api.GetAsync($"connections/{id}"), 404, "inexistent_connection");
    }

    [Fact]
    public async Task Correlation_id_is_echoed_and_kept_in_the_audit_event()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "connections") { Content = JsonContent.Create(new { name = "correlated", strategy = "auth0" }) };
        request.Headers.Add("X-Correlation-ID", "deploy-run-42");
        var response = await Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("deploy-run-42", response.Headers.GetValues("X-Correlation-ID").Single());
        var sapi = (await tenant.LogsOfTypeAsync("sapi")).First(l => l.Description == "Create a connection");
        Assert.Equal("deploy-run-42", sapi.Details!.Value.GetProperty("request").GetProperty("correlation_id").GetString());

        using var tooLong = new HttpRequestMessage(HttpMethod.Get, "connections");
        tooLong.Headers.Add("X-Correlation-ID", new string('x', 65));
        Assert.False((await Api.SendAsync(tooLong)).Headers.Contains("X-Correlation-ID"));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests;

/// <summary>/api/v2/clients, /resource-servers and /client-grants: secret rotation, filters, both pagings, errors, scopes.</summary>
public class ManagementClientsTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private HttpClient Api => tenant.Management;

    private static List<string> Ids(JsonElement array, string name) => array.EnumerateArray().Select(c => c.GetProperty(name).GetString()!).ToList();

    [Fact]
    public async Task Rotating_the_secret_retires_the_old_one_at_once()
    {
        var client = await tenant.PostAsync("clients", new { name = "Rotated", app_type = "non_interactive" });
        var id = client.GetProperty("client_id").GetString()!;
        var old = client.GetProperty("client_secret").GetString()!;
        await tenant.PostAsync("client-grants", new { client_id = id, audience = TestTenant.ApiAudience, scope = new[] { "read:things" } });
        (string, string)[] Grant(string secret) => [("grant_type", "client_credentials"), ("client_id", id), ("client_secret", secret), ("audience", TestTenant.ApiAudience)];
        await HttpAssert.OkJsonAsync(await tenant.TokenAsync(Grant(old)));

        var rotated = await HttpAssert.OkJsonAsync(await Api.PostAsync($"clients/{id}/rotate-secret", null));
        var fresh = rotated.GetProperty("client_secret").GetString()!;
        Assert.NotEqual(old, fresh);
        Assert.Equal(id, rotated.GetProperty("client_id").GetString());
        await HttpAssert.OkJsonAsync(await tenant.TokenAsync(Grant(fresh)));
        await HttpAssert.OAuthErrorAsync(await tenant.TokenAsync(Grant(old)), 401, "invalid_client");
        Assert.Contains(await tenant.LogsOfTypeAsync("sapi"), l => l.Description == "Rotate a client secret");

        await HttpAssert.ManagementErrorAsync(await Api.PostAsync("clients/nope/rotate-secret", null), 404, "inexistent_client");
        var failure = (await tenant.LogsOfTypeAsync("fapi"))[0];
        Assert.Equal(("Rotate a client secret", 404), (failure.Description, failure.Details!.Value.GetProperty("response").GetProperty("statusCode").GetInt32()));
        // As in Auth0, rotating is a key operation: update:clients alone does not reach it.
        using var editor = await tenant.ManagementWithScopesAsync("read:clients", "update:clients");
        var snapshot = await tenant.SnapshotAsync();
        Assert.Equal("Insufficient scope, expected any of: update:client_keys",
            await HttpAssert.ManagementErrorAsync(await editor.PostAsync($"clients/{id}/rotate-secret", null), 403, "insufficient_scope"));
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
    }

    [Fact]
    public async Task App_type_defaults_follow_auth0()
    {
        var spa = await tenant.PostAsync("clients", new { name = "Browser", app_type = "spa" });
        Assert.Equal(("none", false), (spa.GetProperty("token_endpoint_auth_method").GetString(), spa.TryGetProperty("client_secret", out _)));
        var web = await tenant.PostAsync("clients", new { name = "Site", app_type = "regular_web" });
        Assert.Equal("client_secret_post", web.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Contains("client_credentials", web.GetProperty("grant_types").EnumerateArray().Select(g => g.GetString()));
        var m2m = await tenant.PostAsync("clients", new { name = "Worker", app_type = "non_interactive" });
        Assert.Equal(["client_credentials"], m2m.GetProperty("grant_types").EnumerateArray().Select(g => g.GetString()));
        Assert.True(m2m.GetProperty("is_first_party").GetBoolean());
        Assert.Contains("client_credentials", await HttpAssert.ManagementErrorAsync(
            await Api.PostAsJsonAsync("clients", new { name = "Bad", app_type = "native", grant_types = new[] { "client_credentials" } }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Contains("app_type", await HttpAssert.ManagementErrorAsync(
            await Api.PostAsJsonAsync("clients", new { name = "Bad", app_type = "toaster" }), 400, "invalid_body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_lists_filter_and_page_both_ways_and_secret_reads_are_audited()
    {
        for (var i = 0; i < 3; i++)
            await tenant.PostAsync("clients", new { name = $"Listed {i}", app_type = "spa" });
        var spas = Ids(await HttpAssert.OkJsonAsync(await Api.GetAsync("clients?app_type=spa&per_page=100")), "client_id");
        Assert.True(spas.Count >= 3);
        Assert.All((await HttpAssert.OkJsonAsync(await Api.GetAsync("clients?app_type=spa,native&per_page=100"))).EnumerateArray(),
            c => Assert.Contains(c.GetProperty("app_type").GetString(), new[] { "spa", "native" }));
        Assert.All((await HttpAssert.OkJsonAsync(await Api.GetAsync("clients?is_global=false"))).EnumerateArray(), c => Assert.False(c.GetProperty("global").GetBoolean()));

        var walked = new List<string>();
        var url = "clients?app_type=spa&take=2";
        while (true)
        {
            var page = await HttpAssert.OkJsonAsync(await Api.GetAsync(url));
            walked.AddRange(Ids(page.GetProperty("clients"), "client_id"));
            if (!page.TryGetProperty("next", out var next))
                break;
            url = $"clients?app_type=spa&take=2&from={Uri.EscapeDataString(next.GetString()!)}";
        }
        Assert.Equal(spas, walked);

        var before = (await tenant.LogsOfTypeAsync("mgmt_api_read")).Count;
        await HttpAssert.OkJsonAsync(await Api.GetAsync("clients?app_type=non_interactive"));
        Assert.Equal(before + 1, (await tenant.LogsOfTypeAsync("mgmt_api_read")).Count);
        await HttpAssert.ManagementErrorAsync(await Api.GetAsync("clients?is_global=maybe"), 400, "invalid_query_string");
        using var nobody = await tenant.ManagementWithScopesAsync("read:users");
        await HttpAssert.ManagementErrorAsync(await nobody.GetAsync("clients"), 403, "insufficient_scope");
    }

    [Fact]
    public async Task Resource_servers_and_client_grants_filter_and_page()
    {
        var identifiers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            identifiers.Add($"https://paged-{i}.example/");
            await tenant.PostAsync("resource-servers", new { identifier = identifiers[^1], scopes = new[] { new { value = "use", description = "Use" } } });
        }
        var two = await HttpAssert.OkJsonAsync(await Api.GetAsync($"resource-servers?identifiers={Uri.EscapeDataString(identifiers[0])}&identifiers={Uri.EscapeDataString(identifiers[2])}"));
        Assert.Equal([identifiers[0], identifiers[2]], Ids(two, "identifier"));
        var first = await HttpAssert.OkJsonAsync(await Api.GetAsync("resource-servers?take=1"));
        Assert.Single(first.GetProperty("resource_servers").EnumerateArray());
        var rest = await HttpAssert.OkJsonAsync(await Api.GetAsync($"resource-servers?take=100&from={Uri.EscapeDataString(first.GetProperty("next").GetString()!)}"));
        Assert.False(rest.TryGetProperty("next", out _));
        var everything = Ids(await HttpAssert.OkJsonAsync(await Api.GetAsync("resource-servers?per_page=100")), "id");
        Assert.Equal(everything, Ids(first.GetProperty("resource_servers"), "id").Concat(Ids(rest.GetProperty("resource_servers"), "id")));

        var clientId = (await tenant.PostAsync("clients", new { name = "Granted", app_type = "non_interactive" })).GetProperty("client_id").GetString()!;
        foreach (var identifier in identifiers)
            await tenant.PostAsync("client-grants", new { client_id = clientId, audience = identifier, scope = new[] { "use" } });
        var paged = await HttpAssert.OkJsonAsync(await Api.GetAsync($"client-grants?client_id={clientId}&page=1&per_page=2&include_totals=true"));
        Assert.Equal((3, 1), (paged.GetProperty("total").GetInt32(), paged.GetProperty("client_grants").GetArrayLength()));
        var byAudience = await HttpAssert.OkJsonAsync(await Api.GetAsync($"client-grants?client_id={clientId}&audience={Uri.EscapeDataString(identifiers[1])}"));
        Assert.Equal(identifiers[1], byAudience.EnumerateArray().Single().GetProperty("audience").GetString());
        var checkpoint = await HttpAssert.OkJsonAsync(await Api.GetAsync($"client-grants?client_id={clientId}&take=2"));
        Assert.Equal(2, checkpoint.GetProperty("client_grants").GetArrayLength());
        Assert.True(checkpoint.TryGetProperty("next", out _));

        var snapshot = await tenant.SnapshotAsync();
        Assert.Equal("A client grant for this client and audience already exists.", await HttpAssert.ManagementErrorAsync(
            await Api.PostAsJsonAsync("client-grants", new { client_id = clientId, audience = identifiers[0], scope = new[] { "use" } }), 409, "conflict"));
        Assert.Contains("not defined", await HttpAssert.ManagementErrorAsync(
            await Api.PatchAsJsonAsync($"client-grants/{byAudience[0].GetProperty("id").GetString()}", new { scope = new[] { "fly" } }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
        using var reader = await tenant.ManagementWithScopesAsync("read:client_grants");
        await HttpAssert.ManagementErrorAsync(await reader.DeleteAsync($"client-grants/{byAudience[0].GetProperty("id").GetString()}"), 403, "insufficient_scope");
        await HttpAssert.ManagementErrorAsync(await reader.GetAsync("resource-servers"), 403, "insufficient_scope");
    }

    [Fact]
    public async Task Absent_features_answer_like_a_tenant_without_them()
    {
        Assert.Empty((await HttpAssert.OkJsonAsync(await Api.GetAsync("rules"))).EnumerateArray());
        var paged = await HttpAssert.OkJsonAsync(await Api.GetAsync("organizations?include_totals=true"));
        Assert.Equal((0, 0), (paged.GetProperty("total").GetInt32(), paged.GetProperty("organizations").GetArrayLength()));
        var actions = await HttpAssert.OkJsonAsync(await Api.GetAsync("actions/actions"));
        Assert.Equal(0, actions.GetProperty("actions").GetArrayLength());
        Assert.Equal("There is no email provider configured for this tenant.", await HttpAssert.ManagementErrorAsync(await Api.GetAsync("emails/provider"), 404, "inexistent_entity"));
        var snapshot = await tenant.SnapshotAsync();
        Assert.Equal("This feature is not enabled for this tenant.", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("rules", new { name = "admin" }), 403, "feature_not_enabled"));
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
        await HttpAssert.ManagementErrorAsync(await Api.GetAsync("no-such-thing"), 404, "not_found");
        using var anonymous = new HttpClient(tenant.Server.CreateHandler()) { BaseAddress = new Uri(tenant.Server.Issuer + "api/v2/") };
        await HttpAssert.ManagementErrorAsync(await anonymous.GetAsync("roles"), 401, "missing_authentication");
        var clientId = (await tenant.PostAsync("clients", new { name = "No credentials", app_type = "spa" })).GetProperty("client_id").GetString();
        Assert.Empty((await HttpAssert.OkJsonAsync(await Api.GetAsync($"clients/{clientId}/credentials"))).EnumerateArray());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Server.Tests.Security;

namespace Gatehouse.Server.Tests.Admin;

/// <summary>
/// The dashboard's group-to-role mapping of a directory connection: the groups the last logins saw offered as
/// suggestions, a rule added and removed through the admin layer (the connection's kept secret still works after),
/// bad input shown beside its field and changing nothing.
/// </summary>
public sealed class ConnectionRolesPageTests(WaadUpstreamFixture fixture) : IClassFixture<WaadUpstreamFixture>
{
    private async Task<string> MappedConnectionAsync(string name) =>
        await fixture.CreateWaadAsync(name, new
        {
            client_id = DemoDirectory.ConfidentialAppId, client_secret = DemoDirectory.ConfidentialSecret, tenant_domain = DemoDirectory.TenantDomain,
            ext_groups = true, ext_profile = true,
        });

    private async Task<(long Version, JsonElement Options)> StoredAsync(string id)
    {
        var connection = (await fixture.Server.Store.GetConnectionAsync(id, CancellationToken.None))!;
        return (connection.Version, connection.Options);
    }

    [Fact]
    public async Task An_administrator_maps_a_group_the_last_logins_saw_to_a_role_and_removes_it()
    {
        var id = await MappedConnectionAsync("map-page");
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync("map-page", DemoDirectory.Adele, DemoDirectory.PasswordOf(DemoDirectory.Adele)));
        var role = (await HttpAssert.OkJsonAsync(await fixture.Management.PostAsJsonAsync("roles", new { name = "map-page-west" }))).GetProperty("id").GetString()!;
        using var dashboard = await DashboardSession.SignInAsync(fixture.Server);
        var page = $"dashboard/connections/enterprise/roles/{id}";

        var html = await (await dashboard.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains($"<option value=\"{DemoDirectory.SalesWestGroupId}\">", html, StringComparison.Ordinal); // a suggestion from Adele's login

        var added = await dashboard.PostFormAsync(page, page + "?handler=Add",
            new() { ["source"] = "group", ["match"] = DemoDirectory.SalesWestGroupId, ["roleId"] = role });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var rules = (await StoredAsync(id)).Options.GetProperty("gatehouse_role_mappings");
        Assert.Equal(DemoDirectory.SalesWestGroupId, rules[0].GetProperty("group").GetString());
        Assert.Equal(role, rules[0].GetProperty("roles")[0].GetString());
        Assert.Contains("map-page-west", await (await dashboard.GetAsync(page)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The options went back whole: the kept client secret still signs users in.
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync("map-page", DemoDirectory.Adele, DemoDirectory.PasswordOf(DemoDirectory.Adele)));

        Assert.Equal(HttpStatusCode.Redirect, (await dashboard.PostFormAsync(page, page + "?handler=Remove", new() { ["index"] = "0" })).StatusCode);
        Assert.Equal(0, (await StoredAsync(id)).Options.GetProperty("gatehouse_role_mappings").GetArrayLength());
    }

    [Fact]
    public async Task Bad_rules_are_shown_beside_their_field_and_change_nothing()
    {
        var id = await MappedConnectionAsync("map-bad");
        var role = (await HttpAssert.OkJsonAsync(await fixture.Management.PostAsJsonAsync("roles", new { name = "map-bad-role" }))).GetProperty("id").GetString()!;
        using var dashboard = await DashboardSession.SignInAsync(fixture.Server);
        var page = $"dashboard/connections/enterprise/roles/{id}";
        var before = await StoredAsync(id);

        async Task AssertFieldErrorAsync(Dictionary<string, string> fields, string field)
        {
            var refused = await dashboard.PostFormAsync(page, page + "?handler=Add", fields);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains($"id=\"{field}-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await AssertFieldErrorAsync(new() { ["source"] = "group", ["match"] = " ", ["roleId"] = role }, "match");
        await AssertFieldErrorAsync(new() { ["source"] = "group", ["match"] = "Sales", ["roleId"] = "rol_doesnotexist0000" }, "roleId");
        await AssertFieldErrorAsync(new() { ["source"] = "department", ["match"] = "Sales", ["roleId"] = role }, "source");
        Assert.Equal(HttpStatusCode.BadRequest, (await dashboard.PostFormAsync(page, page + "?handler=Remove", new() { ["index"] = "3" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await dashboard.PostWithoutTokenAsync(page + "?handler=Add",
            new() { ["source"] = "group", ["match"] = "Sales", ["roleId"] = role })).StatusCode);
        // A connection without a directory has no such page.
        Assert.Equal(HttpStatusCode.NotFound, (await dashboard.GetAsync($"dashboard/connections/enterprise/roles/{fixture.Tenant.ConnectionId}")).StatusCode);

        var after = await StoredAsync(id);
        Assert.Equal((before.Version, before.Options.GetRawText()), (after.Version, after.Options.GetRawText()));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Admin;

/// <summary>
/// The dashboard's access rules and claims of an application: saved through the admin layer in the shapes the
/// Management API reads, a problem shown beside its field and saving nothing, removal by emptying the form.
/// </summary>
public sealed class ApplicationAccessPageTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private async Task<JsonElement?> ExtraAsync(string member)
    {
        var extra = (await tenant.Server.Store.GetClientAsync(tenant.NativeClientId, CancellationToken.None))!.Extra;
        return extra is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(member, out var value) ? value : null;
    }

    private string Page => $"dashboard/applications/access/{tenant.NativeClientId}";

    [Fact]
    public async Task An_administrator_sets_and_clears_access_rules_and_claims()
    {
        using var dashboard = await DashboardSession.SignInAsync(tenant.Server);
        var role = (await HttpAssert.OkJsonAsync(await tenant.Management.PostAsJsonAsync("roles", new { name = "access-page-role" }))).GetProperty("id").GetString()!;
        var page = Page;

        var rules = await dashboard.PostFormAsync(page, page + "?handler=Rules", new()
        {
            ["roles"] = role, ["connections"] = TestTenant.Connection, ["tenants"] = "2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c\n",
        });
        Assert.Equal(HttpStatusCode.Redirect, rules.StatusCode);
        var stored = (await ExtraAsync("gatehouse_access_rules"))!.Value;
        Assert.Equal(role, stored.GetProperty("roles")[0].GetString());
        Assert.Equal(TestTenant.Connection, stored.GetProperty("connections")[0].GetString());
        Assert.Equal("2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c", stored.GetProperty("tenants")[0].GetString());

        var claims = await dashboard.PostFormAsync(page, page + "?handler=Claims", new()
        {
            ["ns"] = "https://claims.example/", ["accessToken"] = "roles", ["idToken"] = "groups", ["groupFormat"] = "ids", ["maxGroups"] = "50",
        });
        Assert.Equal(HttpStatusCode.Redirect, claims.StatusCode);
        var settings = (await ExtraAsync("gatehouse_claims"))!.Value;
        Assert.Equal(("https://claims.example/", 50, "ids"), (settings.GetProperty("namespace").GetString(), settings.GetProperty("max_groups").GetInt32(),
            settings.GetProperty("groups").GetProperty("format").GetString()));
        var html = await (await dashboard.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("value=\"https://claims.example/\"", html, StringComparison.Ordinal);

        // Emptied forms remove the settings (the application is open to all again).
        Assert.Equal(HttpStatusCode.Redirect, (await dashboard.PostFormAsync(page, page + "?handler=Rules", [])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await dashboard.PostFormAsync(page, page + "?handler=Claims", [])).StatusCode);
        Assert.Null(await ExtraAsync("gatehouse_access_rules"));
        Assert.Null(await ExtraAsync("gatehouse_claims"));
    }

    [Fact]
    public async Task Bad_access_settings_are_shown_beside_their_field_and_change_nothing()
    {
        using var dashboard = await DashboardSession.SignInAsync(tenant.Server);
        var page = Page;
        var before = await tenant.SnapshotAsync();

        async Task AssertFieldErrorAsync(string handler, Dictionary<string, string> fields, string field, string text)
        {
            var refused = await dashboard.PostFormAsync(page, page + "?handler=" + handler, fields);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains($"id=\"{field}-error\"", html, StringComparison.Ordinal);
            Assert.Contains(text, html, StringComparison.Ordinal);
        }

        await AssertFieldErrorAsync("Rules", new() { ["tenants"] = "contoso.com" }, "tenants", "must be a tenant id");
        await AssertFieldErrorAsync("Rules", new() { ["roles"] = "not-a-role-id" }, "roles", "role id");
        await AssertFieldErrorAsync("Claims", new() { ["ns"] = "https://tenant.auth0.com/", ["accessToken"] = "roles" }, "namespace", "Auth0 domain");
        await AssertFieldErrorAsync("Claims", new() { ["accessToken"] = "roles" }, "namespace", "is required");
        await AssertFieldErrorAsync("Claims", new() { ["ns"] = "https://claims.example/", ["accessToken"] = "salary" }, "access_token", "must be one of");
        await AssertFieldErrorAsync("Claims", new() { ["ns"] = "https://claims.example/", ["maxGroups"] = "500" }, "max_groups", "");
        await AssertFieldErrorAsync("Claims", new() { ["ns"] = "https://claims.example/", ["maxGroups"] = "many" }, "max_groups", "whole number");
        Assert.Equal(HttpStatusCode.BadRequest, (await dashboard.PostWithoutTokenAsync(page + "?handler=Rules", new() { ["tenants"] = "2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dashboard.GetAsync("dashboard/applications/access/no-such-client")).StatusCode);

        Assert.Equal(before, await tenant.SnapshotAsync());
    }
}

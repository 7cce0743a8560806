using System.Net;
using System.Net.Http.Json;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Admin;

/// <summary>
/// The dashboard's roles pages and a user's roles and linked identities: a signed-in administrator changes them through
/// the admin layer (audited as the dashboard), bad input is shown beside its field and changes nothing, and a form
/// without its anti-forgery token is refused.
/// </summary>
public sealed class RoleAndIdentityPagesTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private const string Roles = "dashboard/roles";

    private static string Detail(string userId) => "dashboard/users/detail?id=" + Uri.EscapeDataString(userId);

    private async Task<Role?> RoleNamedAsync(string name) =>
        (await tenant.Server.Store.ListRolesAsync(new RoleQuery(null, PageRequest.All), CancellationToken.None)).Items.SingleOrDefault(r => r.Name == name);

    private async Task<string> NewUserAsync(string email) =>
        (await tenant.PostAsync("users", new { connection = TestTenant.Connection, email, password = "Pages-Passw0rd!" })).GetProperty("user_id").GetString()!;

    private async Task<string> NewRoleAsync(DashboardSession dashboard, string name)
    {
        var created = await dashboard.PostFormAsync(Roles, Roles, new() { ["name"] = name, ["description"] = "Made on the page" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return (await RoleNamedAsync(name))!.Id;
    }

    [Fact]
    public async Task An_administrator_creates_a_role_gives_it_a_permission_and_a_user_and_it_is_audited()
    {
        using var dashboard = await DashboardSession.SignInAsync(tenant.Server);
        var id = await NewRoleAsync(dashboard, "page-readers");
        var edit = $"dashboard/roles/edit/{id}";
        var user = await NewUserAsync("page-reader@example.com");

        Assert.Equal(HttpStatusCode.Redirect, (await dashboard.PostFormAsync(edit, edit + "?handler=AddPermission",
            new() { ["permission"] = $"{TestTenant.ApiAudience} read:things" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await dashboard.PostFormAsync(edit, edit + "?handler=AddUser", new() { ["userId"] = user })).StatusCode);

        var store = tenant.Server.Store;
        Assert.Equal(new Permission(TestTenant.ApiAudience, "read:things"), Assert.Single((await store.ListRolePermissionsAsync(id, PageRequest.All, CancellationToken.None)).Items));
        Assert.Equal(user, Assert.Single((await store.ListRoleUsersAsync(id, PageRequest.All, CancellationToken.None)).Items).UserId);
        var html = await (await dashboard.GetAsync(edit)).Content.ReadAsStringAsync();
        Assert.Contains("page-reader@example.com", html, StringComparison.Ordinal);
        Assert.Contains("<code>read:things</code>", html, StringComparison.Ordinal);
        Assert.Contains("page-readers", await (await dashboard.GetAsync(Roles)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var writes = (await tenant.LogsOfTypeAsync(LogTypes.ManagementApiWrite))
            .Where(e => e.Details!.Value.GetProperty("request").GetProperty("path").GetString()!.StartsWith("/api/v2/roles", StringComparison.Ordinal)
                && e.Details!.Value.GetProperty("request").GetProperty("channel").GetString() == "dashboard")
            .Select(e => e.Description).ToList();
        Assert.Contains("Create a role", writes);
        Assert.Contains("Add permissions to a role", writes);
        Assert.Contains("Assign users to a role", writes);
    }

    [Fact]
    public async Task Bad_role_input_is_shown_beside_its_field_and_changes_nothing()
    {
        using var dashboard = await DashboardSession.SignInAsync(tenant.Server);
        var id = await NewRoleAsync(dashboard, "page-bad-input");
        var edit = $"dashboard/roles/edit/{id}";
        var before = await tenant.SnapshotAsync();

        async Task AssertFieldErrorAsync(HttpResponseMessage response, string field, string text)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains($"id=\"{field}-error\"", html, StringComparison.Ordinal);
            Assert.Contains(text, html, StringComparison.Ordinal);
            Assert.Contains($"aria-describedby=\"{field}-error", html, StringComparison.Ordinal);
        }

        await AssertFieldErrorAsync(await dashboard.PostFormAsync(Roles, Roles, new() { ["name"] = " " }), "name", "Enter a name.");
        await AssertFieldErrorAsync(await dashboard.PostFormAsync(Roles, Roles, new() { ["name"] = "page-bad-input" }), "name", "The role already exists.");
        await AssertFieldErrorAsync(await dashboard.PostFormAsync(Roles, Roles, new() { ["name"] = new string('r', 201) }), "name", "at most 200");
        await AssertFieldErrorAsync(await dashboard.PostFormAsync(edit, edit + "?handler=Save", new() { ["name"] = "" }), "name", "Enter a name.");
        await AssertFieldErrorAsync(await dashboard.PostFormAsync(edit, edit + "?handler=AddPermission",
            new() { ["permission"] = $"{TestTenant.ApiAudience} delete:everything" }), "permission", "Permission delete:everything does not exist");
        await AssertFieldErrorAsync(await dashboard.PostFormAsync(edit, edit + "?handler=AddPermission", new() { ["permission"] = "" }), "permission", "Choose a permission.");
        await AssertFieldErrorAsync(await dashboard.PostFormAsync(edit, edit + "?handler=AddUser", new() { ["userId"] = "auth0|nobody" }), "userId", "No user has this id.");
        Assert.Equal(HttpStatusCode.NotFound, (await dashboard.GetAsync("dashboard/roles/edit/rol_doesnotexist0000")).StatusCode);
        // Without the anti-forgery token: refused before anything runs.
        Assert.Equal(HttpStatusCode.BadRequest, (await dashboard.PostWithoutTokenAsync(Roles, new() { ["name"] = "page-forged" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await dashboard.PostWithoutTokenAsync(edit + "?handler=Delete", [])).StatusCode);

        Assert.Equal(before, await tenant.SnapshotAsync());
    }

    [Fact]
    public async Task A_users_page_assigns_and_removes_roles_and_unlinks_a_linked_account()
    {
        using var dashboard = await DashboardSession.SignInAsync(tenant.Server);
        var role = await NewRoleAsync(dashboard, "page-user-role");
        var primary = await NewUserAsync("page-primary@example.com");
        var secondary = await NewUserAsync("page-secondary@example.com");
        (await tenant.Management.PostAsJsonAsync($"users/{Uri.EscapeDataString(primary)}/identities", new { provider = "auth0", user_id = secondary }))
            .EnsureSuccessStatusCode();
        var page = Detail(primary);
        var store = tenant.Server.Store;

        Assert.Equal(HttpStatusCode.Redirect, (await dashboard.PostFormAsync(page, page + "&handler=AssignRole", new() { ["roleId"] = role })).StatusCode);
        Assert.Equal(role, Assert.Single((await store.ListUserRolesAsync(primary, PageRequest.All, CancellationToken.None)).Items).Id);
        var before = await tenant.SnapshotAsync();
        var refused = await dashboard.PostFormAsync(page, page + "&handler=AssignRole", new() { ["roleId"] = "" });
        Assert.Contains("id=\"roleId-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await tenant.SnapshotAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await dashboard.PostFormAsync(page, page + "&handler=RemoveRole", new() { ["roleId"] = role })).StatusCode);
        Assert.Empty((await store.ListUserRolesAsync(primary, PageRequest.All, CancellationToken.None)).Items);

        // The linked account is shown on the primary's page, has none of its own, and is unlinked from there.
        Assert.Contains("Unlink auth0|" + secondary["auth0|".Length..], await (await dashboard.GetAsync(page)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await dashboard.GetAsync(Detail(secondary))).StatusCode);
        var unlinked = await dashboard.PostFormAsync(page, page + "&handler=Unlink",
            new() { ["provider"] = "auth0", ["identityUserId"] = secondary["auth0|".Length..] });
        Assert.Equal(HttpStatusCode.Redirect, unlinked.StatusCode);
        Assert.Null((await store.GetUserAsync(secondary, CancellationToken.None))!.LinkedTo);
        Assert.Single((await store.GetUserAsync(primary, CancellationToken.None))!.Identities);
        Assert.Equal(HttpStatusCode.OK, (await dashboard.GetAsync(Detail(secondary))).StatusCode);

        // The main identity cannot be unlinked: the refusal is shown, nothing changes.
        before = await tenant.SnapshotAsync();
        var main = await dashboard.PostFormAsync(page, page + "&handler=Unlink", new() { ["provider"] = "auth0", ["identityUserId"] = primary["auth0|".Length..] });
        Assert.Contains("Main identity cannot be removed from profile.", await main.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await tenant.SnapshotAsync());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Server.Tests;

/// <summary>Auth0's RBAC through the Management API: /roles, /users/{id}/roles and /permissions, and what tokens then say.</summary>
public sealed class ManagementRolesTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private HttpClient Api => tenant.Management;

    private static object Permissions(params (string Api, string Name)[] permissions) =>
        new { permissions = permissions.Select(p => new { resource_server_identifier = p.Api, permission_name = p.Name }).ToArray() };

    private static HttpRequestMessage Delete(string path, object body) =>
        new(HttpMethod.Delete, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };

    private static string User(string userId) => Uri.EscapeDataString(userId);

    private async Task<JsonElement> NewRoleAsync(string name, string? description = null) =>
        await HttpAssert.OkJsonAsync(await Api.PostAsJsonAsync("roles", description is null ? new { name } : (object)new { name, description }));

    private async Task<string> NewUserAsync(string email) =>
        (await tenant.PostAsync("users", new { connection = TestTenant.Connection, email, password = "Roles-Passw0rd!" })).GetProperty("user_id").GetString()!;

    /// <summary>An API of its own, with RBAC settings, for tests that change it.</summary>
    private async Task<string> NewApiAsync(string identifier, object? rbac = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["identifier"] = identifier, ["name"] = "Orders " + identifier, ["allow_offline_access"] = true,
            ["scopes"] = new[] { new { value = "read:orders", description = "Read orders" }, new { value = "write:orders", description = "Write orders" } },
        };
        foreach (var property in JsonSerializer.SerializeToElement(rbac ?? new { }).EnumerateObject())
            body[property.Name] = property.Value;
        return (await tenant.PostAsync("resource-servers", body)).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Roles_are_created_read_listed_changed_and_deleted_as_auth0_answers()
    {
        var created = await NewRoleAsync("crud-admin", "The Administrator");
        var id = created.GetProperty("id").GetString()!;
        Assert.Matches("^rol_[A-Za-z0-9]{16}$", id);
        Assert.Equal("""{"id":"ID","name":"crud-admin","description":"The Administrator"}""", created.GetRawText().Replace(id, "ID", StringComparison.Ordinal));

        Assert.Equal("The role already exists.", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("roles", new { name = "crud-admin" }), 409, "conflict"));
        Assert.Equal("crud-admin", (await HttpAssert.OkJsonAsync(await Api.GetAsync($"roles/{id}"))).GetProperty("name").GetString());

        var changed = await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"roles/{id}", new { description = "Runs things" }));
        Assert.Equal(("crud-admin", "Runs things"), (changed.GetProperty("name").GetString(), changed.GetProperty("description").GetString()));

        await NewRoleAsync("crud-reader");
        var listed = await HttpAssert.OkJsonAsync(await Api.GetAsync("roles?name_filter=CRUD-&include_totals=true&per_page=1&page=1"));
        Assert.Equal((2, 1, 1), (listed.GetProperty("total").GetInt32(), listed.GetProperty("start").GetInt32(), listed.GetProperty("limit").GetInt32()));
        Assert.Equal("crud-reader", listed.GetProperty("roles")[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Array, (await HttpAssert.OkJsonAsync(await Api.GetAsync("roles?name_filter=crud-"))).ValueKind); // bare array without include_totals

        var deleted = await Api.DeleteAsync($"roles/{id}");
        Assert.Equal("{}", (await HttpAssert.OkJsonAsync(deleted)).GetRawText()); // 200 {} as Auth0
        Assert.Equal("The role does not exist.", await HttpAssert.ManagementErrorAsync(await Api.GetAsync($"roles/{id}"), 404, "inexistent_role"));
        await HttpAssert.ManagementErrorAsync(await Api.DeleteAsync($"roles/{id}"), 404, "inexistent_role");
        await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync($"roles/{id}", new { name = "x" }), 404, "inexistent_role");
    }

    [Fact]
    public async Task Bad_role_bodies_get_auth0_errors_and_change_nothing()
    {
        var role = (await NewRoleAsync("bad-bodies")).GetProperty("id").GetString()!;
        var before = await tenant.SnapshotAsync();
        Assert.Contains("Missing required property: name", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("roles", new { description = "x" }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Contains("Additional properties not allowed: id", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("roles", new { name = "x", id = "rol_x" }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Contains("Expected type string", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("roles", new { name = 7 }), 400, "invalid_body"), StringComparison.Ordinal);
        await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("roles", new { name = "" }), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync($"roles/{role}", new { name = "bad-bodies", identifier = "x" }), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await Api.GetAsync("roles?per_page=101"), 400, "invalid_query_string");
        await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync($"roles/{role}/permissions", new { permissions = Array.Empty<object>() }), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync($"roles/{role}/permissions", new { permissions = new[] { new { permission_name = "read:things" } } }), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync($"roles/{role}/users", new { users = Array.Empty<string>() }), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync($"roles/{role}/users", new { users = new[] { 7 } }), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync($"users/{User(tenant.UserId)}/roles", new { roles = "rol_x" }), 400, "invalid_body");
        Assert.Equal(before, await tenant.SnapshotAsync());
    }

    [Fact]
    public async Task Role_permissions_must_be_scopes_an_api_defines_and_list_with_their_descriptions()
    {
        var api = "https://role-permissions.test/";
        await NewApiAsync(api);
        var role = (await NewRoleAsync("permission-holder")).GetProperty("id").GetString()!;
        var before = await tenant.SnapshotAsync();
        Assert.Equal("Permission delete:orders does not exist on resource server https://role-permissions.test/.",
            await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync($"roles/{role}/permissions", Permissions((api, "read:orders"), (api, "delete:orders"))), 400, "invalid_body"));
        Assert.Equal("Resource server https://nowhere.test/ does not exist.",
            await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync($"roles/{role}/permissions", Permissions(("https://nowhere.test/", "read:orders"))), 400, "invalid_body"));
        await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("roles/rol_AAAAAAAAAAAAAAAA/permissions", Permissions((api, "read:orders"))), 404, "inexistent_role");
        Assert.Equal(before, await tenant.SnapshotAsync());

        var added = await Api.PostAsJsonAsync($"roles/{role}/permissions", Permissions((api, "write:orders"), (api, "read:orders")));
        Assert.Equal("{}", (await HttpAssert.OkJsonAsync(added, HttpStatusCode.Created)).GetRawText());
        var listed = await HttpAssert.OkJsonAsync(await Api.GetAsync($"roles/{role}/permissions?include_totals=true"));
        Assert.Equal(2, listed.GetProperty("total").GetInt32());
        Assert.Equal(
            """{"permission_name":"read:orders","description":"Read orders","resource_server_name":"Orders https://role-permissions.test/","resource_server_identifier":"https://role-permissions.test/"}""",
            listed.GetProperty("permissions")[0].GetRawText());

        var removed = await Api.SendAsync(Delete($"roles/{role}/permissions", Permissions((api, "write:orders"))));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(["read:orders"], (await HttpAssert.OkJsonAsync(await Api.GetAsync($"roles/{role}/permissions"))).EnumerateArray().Select(p => p.GetProperty("permission_name").GetString()));
    }

    [Fact]
    public async Task Users_are_assigned_to_roles_both_ways_and_listed_with_offset_or_checkpoint_paging()
    {
        var ann = await NewUserAsync("role-ann@example.com");
        var bob = await NewUserAsync("role-bob@example.com");
        var role = (await NewRoleAsync("members")).GetProperty("id").GetString()!;
        var other = (await NewRoleAsync("members-other", "Other")).GetProperty("id").GetString()!;

        var before = await tenant.SnapshotAsync();
        Assert.Equal("The user does not exist.", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync($"roles/{role}/users", new { users = new[] { ann, "auth0|nobody" } }), 404, "inexistent_user"));
        Assert.Equal("The role does not exist.", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync($"users/{User(bob)}/roles", new { roles = new[] { other, "rol_AAAAAAAAAAAAAAAA" } }), 404, "inexistent_role"));
        await HttpAssert.ManagementErrorAsync(await Api.GetAsync($"users/{User("auth0|nobody")}/roles"), 404, "inexistent_user");
        Assert.Equal(before, await tenant.SnapshotAsync());

        Assert.Equal("{}", (await HttpAssert.OkJsonAsync(await Api.PostAsJsonAsync($"roles/{role}/users", new { users = new[] { ann, bob } }))).GetRawText());
        var assigned = await Api.PostAsJsonAsync($"users/{User(ann)}/roles", new { roles = new[] { other } });
        Assert.Equal(HttpStatusCode.NoContent, assigned.StatusCode);

        var members = await HttpAssert.OkJsonAsync(await Api.GetAsync($"roles/{role}/users?include_totals=true&per_page=1"));
        Assert.Equal(2, members.GetProperty("total").GetInt32());
        var member = members.GetProperty("users")[0];
        Assert.Equal((ann, "role-ann@example.com"), (member.GetProperty("user_id").GetString(), member.GetProperty("email").GetString()));
        Assert.Empty(member.EnumerateObject().Select(p => p.Name).Except(["user_id", "email", "picture", "name"]));
        var first = await HttpAssert.OkJsonAsync(await Api.GetAsync($"roles/{role}/users?take=1&include_totals=true"));
        Assert.False(first.TryGetProperty("total", out _));
        var next = first.GetProperty("next").GetString()!;
        var last = await HttpAssert.OkJsonAsync(await Api.GetAsync($"roles/{role}/users?take=1&from={next}"));
        Assert.Equal(bob, last.GetProperty("users")[0].GetProperty("user_id").GetString());
        Assert.False(last.TryGetProperty("next", out _));

        var roles = await HttpAssert.OkJsonAsync(await Api.GetAsync($"users/{User(ann)}/roles?include_totals=true"));
        Assert.Equal(["members", "members-other"], roles.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(Delete($"users/{User(ann)}/roles", new { roles = new[] { role } }))).StatusCode);
        Assert.Equal(["members-other"], (await HttpAssert.OkJsonAsync(await Api.GetAsync($"users/{User(ann)}/roles"))).EnumerateArray().Select(r => r.GetProperty("name").GetString()));

        // Deleting the user takes their assignments with them.
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"users/{User(bob)}")).StatusCode);
        Assert.Empty((await HttpAssert.OkJsonAsync(await Api.GetAsync($"roles/{role}/users"))).EnumerateArray());
    }

    [Fact]
    public async Task A_users_permissions_list_direct_and_role_sources_and_follow_the_api()
    {
        var api = "https://user-permissions.test/";
        var apiId = await NewApiAsync(api);
        var user = await NewUserAsync("perm-user@example.com");
        var role = (await NewRoleAsync("perm-role")).GetProperty("id").GetString()!;
        await HttpAssert.OkJsonAsync(await Api.PostAsJsonAsync($"roles/{role}/permissions", Permissions((api, "read:orders"), (api, "write:orders"))), HttpStatusCode.Created);
        await HttpAssert.OkJsonAsync(await Api.PostAsJsonAsync($"roles/{role}/users", new { users = new[] { user } }));
        Assert.Equal("{}", (await HttpAssert.OkJsonAsync(await Api.PostAsJsonAsync($"users/{User(user)}/permissions", Permissions((api, "read:orders"))), HttpStatusCode.Created)).GetRawText());

        var listed = await HttpAssert.OkJsonAsync(await Api.GetAsync($"users/{User(user)}/permissions?include_totals=true"));
        Assert.Equal(2, listed.GetProperty("total").GetInt32());
        var read = listed.GetProperty("permissions")[0];
        Assert.Equal("read:orders", read.GetProperty("permission_name").GetString());
        Assert.Equal(
            $$"""[{"source_id":"","source_name":"","source_type":"DIRECT"},{"source_id":"{{role}}","source_name":"perm-role","source_type":"ROLE"}]""",
            read.GetProperty("sources").GetRawText());

        // Taking write:orders off the API takes it out of every role; deleting the API takes the rest.
        await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"resource-servers/{apiId}", new { scopes = new[] { new { value = "read:orders" } } }));
        Assert.Equal(["read:orders"], (await HttpAssert.OkJsonAsync(await Api.GetAsync($"users/{User(user)}/permissions"))).EnumerateArray().Select(p => p.GetProperty("permission_name").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(Delete($"users/{User(user)}/permissions", Permissions((api, "read:orders"))))).StatusCode);
        Assert.Single((await HttpAssert.OkJsonAsync(await Api.GetAsync($"users/{User(user)}/permissions"))).EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"resource-servers/{apiId}")).StatusCode);
        Assert.Empty((await HttpAssert.OkJsonAsync(await Api.GetAsync($"users/{User(user)}/permissions"))).EnumerateArray());
        Assert.Empty((await HttpAssert.OkJsonAsync(await Api.GetAsync($"roles/{role}/permissions"))).EnumerateArray());
    }

    [Fact]
    public async Task Member_routes_need_both_read_scopes_or_read_role_members()
    {
        var role = (await NewRoleAsync("scoped-members")).GetProperty("id").GetString()!;
        using var usersOnly = await tenant.ManagementWithScopesAsync("read:users");
        var refused = await usersOnly.GetAsync($"roles/{role}/users");
        Assert.Equal("Insufficient scope, expected any of: read:users read:roles,read:role_members", await HttpAssert.ManagementErrorAsync(refused, 403, "insufficient_scope"));
        await HttpAssert.ManagementErrorAsync(await usersOnly.GetAsync($"users/{User(tenant.UserId)}/roles"), 403, "insufficient_scope");
        using var both = await tenant.ManagementWithScopesAsync("read:users", "read:roles");
        await HttpAssert.OkJsonAsync(await both.GetAsync($"roles/{role}/users"));
        using var members = await tenant.ManagementWithScopesAsync("read:role_members", "create:role_members", "delete:role_members");
        await HttpAssert.OkJsonAsync(await members.GetAsync($"users/{User(tenant.UserId)}/roles"));
        Assert.Equal(HttpStatusCode.NoContent, (await members.PostAsJsonAsync($"users/{User(tenant.UserId)}/roles", new { roles = new[] { role } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await members.SendAsync(Delete($"users/{User(tenant.UserId)}/roles", new { roles = new[] { role } }))).StatusCode);
        await HttpAssert.ManagementErrorAsync(await members.GetAsync("roles"), 403, "insufficient_scope");
    }

    [Fact]
    public async Task Resource_servers_validate_store_and_return_enforce_policies_and_token_dialect()
    {
        var before = await tenant.SnapshotAsync();
        Assert.Contains("token_dialect", await HttpAssert.ManagementErrorAsync(
            await Api.PostAsJsonAsync("resource-servers", new { identifier = "https://dialect.test/", token_dialect = "jwt" }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Contains("enforce_policies", await HttpAssert.ManagementErrorAsync(
            await Api.PostAsJsonAsync("resource-servers", new { identifier = "https://dialect.test/", enforce_policies = "yes" }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Equal(before, await tenant.SnapshotAsync());

        foreach (var dialect in new[] { "access_token", "access_token_authz", "rfc9068_profile", "rfc9068_profile_authz" })
        {
            var id = await NewApiAsync($"https://dialect-{dialect}.test/", new { enforce_policies = true, token_dialect = dialect });
            var read = await HttpAssert.OkJsonAsync(await Api.GetAsync($"resource-servers/{id}"));
            Assert.Equal((true, dialect), (read.GetProperty("enforce_policies").GetBoolean(), read.GetProperty("token_dialect").GetString()));
        }
    }

    [Fact]
    public async Task A_password_login_to_an_api_enforcing_policies_gets_the_users_permissions()
    {
        var api = "https://rbac-login.test/";
        var apiId = await NewApiAsync(api, new { enforce_policies = true, token_dialect = "access_token_authz" });
        var role = (await NewRoleAsync("rbac-login-reader")).GetProperty("id").GetString()!;
        await HttpAssert.OkJsonAsync(await Api.PostAsJsonAsync($"roles/{role}/permissions", Permissions((api, "read:orders"))), HttpStatusCode.Created);
        await HttpAssert.OkJsonAsync(await Api.PostAsJsonAsync($"roles/{role}/users", new { users = new[] { tenant.UserId } }));

        var login = await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync("openid read:orders write:orders", api));
        Assert.Equal("openid profile email read:orders", login.GetProperty("scope").GetString());
        var access = new JsonWebToken(login.GetProperty("access_token").GetString());
        Assert.Equal("openid profile email read:orders", access.GetClaim("scope").Value);
        Assert.True(access.TryGetPayloadValue<List<string>>("permissions", out var permissions));
        Assert.Equal(["read:orders"], permissions);

        // RBAC off again: every requested scope the API defines, no permissions claim.
        await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"resource-servers/{apiId}", new { enforce_policies = false }));
        var open = new JsonWebToken((await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync("read:orders write:orders", api))).GetProperty("access_token").GetString());
        Assert.Equal("read:orders write:orders", open.GetClaim("scope").Value);
        Assert.False(open.TryGetPayloadValue<List<string>>("permissions", out _));
    }
}

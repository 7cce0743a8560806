using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests;

public class ManagementApiTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private HttpClient Api => tenant.Management;

    private async Task<string> TokenWithScopesAsync(params string[] scopes)
    {
        var client = await tenant.PostAsync("clients", new { name = "Scoped " + string.Join(' ', scopes), app_type = "non_interactive" });
        await tenant.PostAsync("client-grants", new { client_id = client.GetProperty("client_id").GetString(), audience = tenant.Server.ManagementAudience, scope = scopes });
        var response = await tenant.TokenAsync(("grant_type", "client_credentials"), ("client_id", client.GetProperty("client_id").GetString()!),
            ("client_secret", client.GetProperty("client_secret").GetString()!), ("audience", tenant.Server.ManagementAudience));
        return (await HttpAssert.OkJsonAsync(response)).GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task Clients_follow_auth0_defaults_and_show_secrets_only_with_read_client_keys()
    {
        var native = await tenant.PostAsync("clients", new { name = "Phone", app_type = "native" });
        Assert.Equal("none", native.GetProperty("token_endpoint_auth_method").GetString());
        Assert.False(native.TryGetProperty("client_secret", out _));
        Assert.Equal(["authorization_code", "implicit", "refresh_token"], native.GetProperty("grant_types").EnumerateArray().Select(g => g.GetString()));

        var m2m = await tenant.PostAsync("clients", new { name = "Backend", app_type = "non_interactive", client_metadata = new { team = "core" } });
        var id = m2m.GetProperty("client_id").GetString()!;
        var secret = m2m.GetProperty("client_secret").GetString()!;
        Assert.Equal(32, id.Length);
        Assert.Equal("client_secret_post", m2m.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal("core", m2m.GetProperty("client_metadata").GetProperty("team").GetString());

        Assert.Equal(secret, (await HttpAssert.OkJsonAsync(await Api.GetAsync($"clients/{id}"))).GetProperty("client_secret").GetString());
        using var reader = await tenant.Server.CreateManagementClientAsync(await TokenWithScopesAsync("read:clients"));
        var hidden = await HttpAssert.OkJsonAsync(await reader.GetAsync($"clients/{id}"));
        Assert.False(hidden.TryGetProperty("client_secret", out _));

        var patched = await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"clients/{id}", new { name = "Backend 2", description = "renamed" }));
        Assert.Equal(("Backend 2", "renamed", "core"), (patched.GetProperty("name").GetString(), patched.GetProperty("description").GetString(), patched.GetProperty("client_metadata").GetProperty("team").GetString()));

        var fields = await HttpAssert.OkJsonAsync(await Api.GetAsync($"clients/{id}?fields=name,client_id"));
        Assert.Equal(["client_id", "name"], fields.EnumerateObject().Select(p => p.Name).Order());

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"clients/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"clients/{id}")).StatusCode);
    }

    [Fact]
    public async Task Lists_are_bare_arrays_unless_include_totals()
    {
        var bare = await HttpAssert.OkJsonAsync(await Api.GetAsync("clients"));
        Assert.Equal(JsonValueKind.Array, bare.ValueKind);
        var paged = await HttpAssert.OkJsonAsync(await Api.GetAsync("clients?page=0&per_page=1&include_totals=true"));
        Assert.Equal((0, 1, 1), (paged.GetProperty("start").GetInt32(), paged.GetProperty("limit").GetInt32(), paged.GetProperty("clients").GetArrayLength()));
        Assert.Equal(bare.GetArrayLength(), paged.GetProperty("total").GetInt32());

        var users = await HttpAssert.OkJsonAsync(await Api.GetAsync("users?include_totals=true"));
        Assert.Equal(JsonValueKind.Array, users.GetProperty("users").ValueKind);
    }

    [Fact]
    public async Task Resource_servers_and_client_grants_drive_client_credentials()
    {
        var api = await tenant.PostAsync("resource-servers", new { identifier = "https://orders.example/", name = "Orders", scopes = new[] { new { value = "read:orders", description = "Read" }, new { value = "write:orders", description = "Write" } } });
        Assert.Equal((86400, "RS256", false), (api.GetProperty("token_lifetime").GetInt32(), api.GetProperty("signing_alg").GetString(), api.GetProperty("is_system").GetBoolean()));
        var byIdentifier = await HttpAssert.OkJsonAsync(await Api.GetAsync("resource-servers/" + Uri.EscapeDataString("https://orders.example/")));
        Assert.Equal(api.GetProperty("id").GetString(), byIdentifier.GetProperty("id").GetString());

        var client = await tenant.PostAsync("clients", new { name = "Order worker", app_type = "non_interactive" });
        var clientId = client.GetProperty("client_id").GetString()!;
        var grant = await tenant.PostAsync("client-grants", new { client_id = clientId, audience = "https://orders.example/", scope = new[] { "read:orders" } });
        var listed = await HttpAssert.OkJsonAsync(await Api.GetAsync($"client-grants?client_id={clientId}"));
        Assert.Equal(grant.GetProperty("id").GetString(), listed.EnumerateArray().Single().GetProperty("id").GetString());

        (string, string)[] request = [("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", client.GetProperty("client_secret").GetString()!), ("audience", "https://orders.example/")];
        Assert.Equal("read:orders", (await HttpAssert.OkJsonAsync(await tenant.TokenAsync(request))).GetProperty("scope").GetString());
        await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"client-grants/{grant.GetProperty("id").GetString()}", new { scope = new[] { "read:orders", "write:orders" } }));
        Assert.Equal("read:orders write:orders", (await HttpAssert.OkJsonAsync(await tenant.TokenAsync(request))).GetProperty("scope").GetString());

        var lifetime = await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"resource-servers/{api.GetProperty("id").GetString()}", new { token_lifetime = 600 }));
        Assert.Equal(600, lifetime.GetProperty("token_lifetime").GetInt32());
        Assert.Equal(600, (await HttpAssert.OkJsonAsync(await tenant.TokenAsync(request))).GetProperty("expires_in").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"resource-servers/{api.GetProperty("id").GetString()}")).StatusCode);
        Assert.Empty((await HttpAssert.OkJsonAsync(await Api.GetAsync($"client-grants?client_id={clientId}"))).EnumerateArray());
        await HttpAssert.OAuthErrorAsync(await tenant.TokenAsync(request), 403, "access_denied", "Service not found: https://orders.example/");
    }

    [Fact]
    public async Task Connections_and_their_users_through_the_api()
    {
        var app = await tenant.PostAsync("clients", new { name = "Kiosk", app_type = "native", grant_types = new[] { "http://auth0.com/oauth/grant-type/password-realm" } });
        var appId = app.GetProperty("client_id").GetString()!;
        var connection = await tenant.PostAsync("connections", new { name = "staff", strategy = "auth0", options = new { requires_username = true, passwordPolicy = "fair" }, display_name = "Staff" });
        var connectionId = connection.GetProperty("id").GetString()!;
        Assert.StartsWith("con_", connectionId, StringComparison.Ordinal);
        Assert.Equal(["staff"], connection.GetProperty("realms").EnumerateArray().Select(r => r.GetString()));
        Assert.True(connection.GetProperty("options").GetProperty("requires_username").GetBoolean());

        var user = await tenant.PostAsync("users", new { connection = "staff", email = "Kim@Example.com", username = "kim", password = "Staff-Passw0rd", user_metadata = new { desk = 4 } });
        var userId = user.GetProperty("user_id").GetString()!;
        Assert.Matches("^auth0\\|[0-9a-f]{24}$", userId);
        Assert.Equal("kim@example.com", user.GetProperty("email").GetString());
        var identity = user.GetProperty("identities")[0];
        Assert.Equal(("auth0", "staff", false, userId[6..]), (identity.GetProperty("provider").GetString(), identity.GetProperty("connection").GetString(), identity.GetProperty("isSocial").GetBoolean(), identity.GetProperty("user_id").GetString()));

        (string, string)[] login = [("grant_type", "http://auth0.com/oauth/grant-type/password-realm"), ("client_id", appId), ("username", "kim"), ("password", "Staff-Passw0rd"), ("realm", "staff")];
        await HttpAssert.OAuthErrorAsync(await tenant.TokenAsync(login), 400, "invalid_request", "the connection was disabled");
        Assert.Equal(HttpStatusCode.NoContent, (await Api.PatchAsJsonAsync($"connections/{connectionId}/clients", new[] { new { client_id = appId, status = true } })).StatusCode);
        await HttpAssert.OkJsonAsync(await tenant.TokenAsync(login));

        var fetched = await HttpAssert.OkJsonAsync(await Api.GetAsync($"users/{Uri.EscapeDataString(userId)}"));
        Assert.Equal((1, 4), (fetched.GetProperty("logins_count").GetInt32(), fetched.GetProperty("user_metadata").GetProperty("desk").GetInt32()));
        var search = await HttpAssert.OkJsonAsync(await Api.GetAsync("users?q=" + Uri.EscapeDataString("email:\"kim@example.com\"")));
        Assert.Equal(userId, search.EnumerateArray().Single().GetProperty("user_id").GetString());
        var byStrategy = await HttpAssert.OkJsonAsync(await Api.GetAsync("connections?strategy=auth0&name=staff"));
        Assert.Equal(connectionId, byStrategy.EnumerateArray().Single().GetProperty("id").GetString());

        var blocked = await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"users/{Uri.EscapeDataString(userId)}", new { blocked = true }));
        Assert.True(blocked.GetProperty("blocked").GetBoolean());
        await HttpAssert.OAuthErrorAsync(await tenant.TokenAsync(login), 401, "unauthorized", "user is blocked");

        var patched = await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"connections/{connectionId}", new { options = new { requires_username = true, passwordPolicy = "none" } }));
        Assert.Equal("none", patched.GetProperty("options").GetProperty("passwordPolicy").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"connections/{connectionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"users/{Uri.EscapeDataString(userId)}")).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_user_is_204_and_the_user_cannot_log_in()
    {
        var user = await tenant.PostAsync("users", new { connection = TestTenant.Connection, email = "temp@example.com", password = "Temp-Passw0rd" });
        var path = $"users/{Uri.EscapeDataString(user.GetProperty("user_id").GetString()!)}";
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(path)).StatusCode);
        await HttpAssert.OAuthErrorAsync(await tenant.TokenAsync(("grant_type", "password"), ("client_id", tenant.NativeClientId), ("username", "temp@example.com"), ("password", "Temp-Passw0rd")), 403, "invalid_grant");
    }

    [Fact]
    public async Task Tenant_settings_read_and_update()
    {
        var settings = await HttpAssert.OkJsonAsync(await Api.GetAsync("tenants/settings"));
        Assert.Equal(TestTenant.Connection, settings.GetProperty("default_directory").GetString());
        var updated = await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync("tenants/settings", new { friendly_name = "Acme", support_email = "help@acme.example" }));
        Assert.Equal(("Acme", "help@acme.example", TestTenant.Connection), (updated.GetProperty("friendly_name").GetString(), updated.GetProperty("support_email").GetString(), updated.GetProperty("default_directory").GetString()));
        Assert.Contains("No connection named", await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync("tenants/settings", new { default_directory = "nope" }), 400, "invalid_body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenant_settings_select_fields_refuse_unknown_ones_and_need_their_scopes()
    {
        var fields = await HttpAssert.OkJsonAsync(await Api.GetAsync("tenants/settings?fields=default_directory"));
        Assert.Equal(["default_directory"], fields.EnumerateObject().Select(p => p.Name));
        using var reader = await tenant.ManagementWithScopesAsync("read:tenant_settings");
        using var nobody = await tenant.ManagementWithScopesAsync("read:users");
        var snapshot = await tenant.SnapshotAsync();
        Assert.Contains("Additional properties not allowed: colour", await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync("tenants/settings", new { colour = "red" }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Contains("friendly_name", await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync("tenants/settings", new { friendly_name = 5 }), 400, "invalid_body"), StringComparison.Ordinal);
        await HttpAssert.OkJsonAsync(await reader.GetAsync("tenants/settings"));
        Assert.Equal("Insufficient scope, expected any of: update:tenant_settings",
            await HttpAssert.ManagementErrorAsync(await reader.PatchAsJsonAsync("tenants/settings", new { friendly_name = "x" }), 403, "insufficient_scope"));
        Assert.Equal("Insufficient scope, expected any of: read:tenant_settings", await HttpAssert.ManagementErrorAsync(await nobody.GetAsync("tenants/settings"), 403, "insufficient_scope"));
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
    }

    [Fact]
    public async Task Writes_are_audited_as_sapi()
    {
        await tenant.PostAsync("clients", new { name = "Audited", app_type = "spa" });
        var logs = await HttpAssert.OkJsonAsync(await Api.GetAsync("logs?q=type:sapi&per_page=100"));
        var entry = logs.EnumerateArray().First(l => l.GetProperty("description").GetString() == "Create a client");
        Assert.Equal(tenant.Server.ManagementClientId, entry.GetProperty("client_id").GetString());
        Assert.Equal("post", entry.GetProperty("details").GetProperty("request").GetProperty("method").GetString());
        Assert.Equal(201, entry.GetProperty("details").GetProperty("response").GetProperty("statusCode").GetInt32());
        var one = await HttpAssert.OkJsonAsync(await Api.GetAsync($"logs/{entry.GetProperty("log_id").GetString()}"));
        Assert.Equal("sapi", one.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Signing_keys_are_listed_with_the_current_one()
    {
        var keys = await HttpAssert.OkJsonAsync(await Api.GetAsync("keys/signing"));
        var current = keys.EnumerateArray().Single(k => k.GetProperty("current").GetBoolean());
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", current.GetProperty("cert").GetString(), StringComparison.Ordinal);
        Assert.Matches("^([0-9A-F]{2}:){19}[0-9A-F]{2}$", current.GetProperty("fingerprint").GetString());
        var one = await HttpAssert.OkJsonAsync(await Api.GetAsync($"keys/signing/{current.GetProperty("kid").GetString()}"));
        Assert.True(one.GetProperty("current").GetBoolean());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Tests.Infrastructure;

/// <summary>
/// A server plus what most tests need, created through the Management API: a database connection (the default
/// directory), a native app allowed the password grants, an API with offline access, and one user.
/// </summary>
public sealed class TestTenant : IAsyncLifetime
{
    public const string Connection = "test-db";
    public const string ApiAudience = "https://api.test.local/";
    public const string UserEmail = "pat@example.com";
    public const string UserPassword = "Corr3ct-Horse!";

    public GatehouseTestServer Server { get; private set; } = null!;
    public HttpClient Management { get; private set; } = null!;
    public string NativeClientId { get; private set; } = "";
    public string ConnectionId { get; private set; } = "";
    public string UserId { get; private set; } = "";

    public Task InitializeAsync() => InitializeAsync(null, null);

    /// <summary>A tenant on a server started with extra configuration or services (see <see cref="GatehouseTestServer.StartAsync"/>).</summary>
    public static async Task<TestTenant> StartAsync(
        Action<Dictionary<string, string?>>? configure, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        var tenant = new TestTenant();
        await tenant.InitializeAsync(configure, configureServices);
        return tenant;
    }

    private async Task InitializeAsync(
        Action<Dictionary<string, string?>>? configure, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices)
    {
        Server = await GatehouseTestServer.StartAsync(configure, configureServices);
        Management = await Server.CreateManagementClientAsync();
        var native = await PostAsync("clients", new
        {
            name = "Test Native",
            app_type = "native",
            grant_types = new[] { "password", "http://auth0.com/oauth/grant-type/password-realm", "refresh_token", "http://auth0.com/oauth/legacy/grant-type/ro" },
        });
        NativeClientId = native.GetProperty("client_id").GetString()!;
        ConnectionId = (await PostAsync("connections", new { name = Connection, strategy = "auth0", enabled_clients = new[] { NativeClientId } })).GetProperty("id").GetString()!;
        await PostAsync("resource-servers", new { identifier = ApiAudience, name = "Test API", allow_offline_access = true, token_lifetime = 3600, scopes = new[] { new { value = "read:things", description = "Read" } } });
        (await Management.PatchAsJsonAsync("tenants/settings", new { default_directory = Connection })).EnsureSuccessStatusCode();
        UserId = (await PostAsync("users", new { connection = Connection, email = UserEmail, password = UserPassword, email_verified = true, given_name = "Pat" })).GetProperty("user_id").GetString()!;
    }

    public Task<JsonElement> PostAsync(string path, object body) => Management.PostCreatedAsync(path, body);

    /// <summary>A Management API client whose token holds exactly <paramref name="scopes"/> (a new M2M app granted them).</summary>
    public Task<HttpClient> ManagementWithScopesAsync(params string[] scopes) => Server.ManagementWithScopesAsync(Management, scopes);

    /// <summary>The log events of one type, newest first, read straight from the store.</summary>
    public Task<IReadOnlyList<LogEvent>> LogsOfTypeAsync(string type) => Server.LogsOfTypeAsync(type);

    /// <summary>POST /oauth/token as a form.</summary>
    public Task<HttpResponseMessage> TokenAsync(params (string Name, string Value)[] parameters) =>
        Server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))));

    public Task<HttpResponseMessage> PasswordLoginAsync(string scope = "openid profile email offline_access", string? audience = ApiAudience, string password = UserPassword)
    {
        (string, string)[] parameters = [("grant_type", "password"), ("client_id", NativeClientId), ("username", UserEmail), ("password", password), ("scope", scope)];
        return TokenAsync(audience is null ? parameters : [.. parameters, ("audience", audience)]);
    }

    /// <summary>Everything but logs: what a refused request must leave unchanged.</summary>
    public async Task<string> SnapshotAsync()
    {
        var store = Server.Store;
        var ct = CancellationToken.None;
        var parts = new List<object?>
        {
            (await store.ListClientsAsync(PageRequest.All, ct)).Items.Select(c => (c.ClientId, c.Version)),
            (await store.ListResourceServersAsync(PageRequest.All, ct)).Items.Select(r => (r.Id, r.Version)),
            (await store.ListClientGrantsAsync(new ClientGrantQuery(null, null, PageRequest.All), ct)).Items.Select(g => (g.Id, g.Version)),
            (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Items.Select(c => (c.Id, c.Version)),
            (await store.ListUsersAsync(new UserQuery(null, null, null, false, PageRequest.All), ct)).Items.Select(u => (u.UserId, u.Version, u.LoginsCount)),
            (await store.ListSigningKeysAsync(ct)).Select(k => (k.Kid, k.Version)),
            (await store.GetTenantSettingsAsync(ct))?.Version,
            await RbacSnapshotAsync(),
        };
        return JsonSerializer.Serialize(parts.Select(p => JsonSerializer.Serialize(p)));
    }

    /// <summary>Roles with their permissions and members, and every user's roles and permissions.</summary>
    private async Task<string> RbacSnapshotAsync()
    {
        var store = Server.Store;
        var ct = CancellationToken.None;
        var parts = new List<object>();
        foreach (var role in (await store.ListRolesAsync(new RoleQuery(null, PageRequest.All), ct)).Items)
        {
            parts.Add((role.Id, role.Version,
                string.Join(' ', (await store.ListRolePermissionsAsync(role.Id, PageRequest.All, ct)).Items),
                string.Join(' ', (await store.ListRoleUsersAsync(role.Id, PageRequest.All, ct)).Items.Select(u => u.UserId))));
        }
        foreach (var user in (await store.ListUsersAsync(new UserQuery(null, null, null, false, PageRequest.All), ct)).Items)
            parts.Add((user.UserId, string.Join(' ', await store.ListUserPermissionsAsync(user.UserId, ct))));
        return JsonSerializer.Serialize(parts.Select(p => p.ToString()));
    }

    public async Task DisposeAsync()
    {
        Management.Dispose();
        await Server.DisposeAsync();
    }
}

public static class HttpAssert
{
    /// <summary>Asserts status and an Authentication API error body; returns the body.</summary>
    public static async Task<JsonElement> OAuthErrorAsync(HttpResponseMessage response, int status, string error, string? description = null)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(error, body.GetProperty("error").GetString());
        if (description is not null)
            Assert.Equal(description, body.GetProperty("error_description").GetString());
        return body;
    }

    /// <summary>Asserts Auth0's Management API error shape {statusCode, error, message, errorCode}; returns the message.</summary>
    public static async Task<string> ManagementErrorAsync(HttpResponseMessage response, int status, string errorCode)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(status, body.GetProperty("statusCode").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
        Assert.Equal(errorCode, body.GetProperty("errorCode").GetString());
        return body.GetProperty("message").GetString()!;
    }

    public static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

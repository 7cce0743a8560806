using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests;

/// <summary>Every refused request gets an Auth0-shaped 4xx and leaves the store as it was (logs aside).</summary>
public class BadInputTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private GatehouseTestServer Server => tenant.Server;

    private async Task RefusedWithoutChangesAsync(Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, Task> assert)
    {
        var before = await tenant.SnapshotAsync();
        await assert(await send());
        Assert.Equal(before, await tenant.SnapshotAsync());
    }

    private Task<HttpResponseMessage> PostRaw(string path, string body, string contentType) =>
        Server.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    private Task<HttpResponseMessage> Form(string body) => PostRaw("oauth/token", body, "application/x-www-form-urlencoded");

    [Fact]
    public Task Missing_parameter() => RefusedWithoutChangesAsync(
        () => Form($"grant_type=password&client_id={tenant.NativeClientId}&password=x"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "Missing required parameter: username"));

    [Fact]
    public Task Repeated_form_parameter() => RefusedWithoutChangesAsync(
        () => Form($"grant_type=password&client_id={tenant.NativeClientId}&username=a&username=b&password=x"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "Parameter 'username' was sent more than once."));

    [Fact]
    public Task Repeated_json_member() => RefusedWithoutChangesAsync(
        () => PostRaw("oauth/token", $"{{\"grant_type\":\"password\",\"client_id\":\"{tenant.NativeClientId}\",\"username\":\"a\",\"username\":\"b\",\"password\":\"x\"}}", "application/json"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request"));

    [Fact]
    public Task Wrong_json_type() => RefusedWithoutChangesAsync(
        () => PostRaw("oauth/token", $"{{\"grant_type\":\"password\",\"client_id\":\"{tenant.NativeClientId}\",\"username\":5,\"password\":\"x\"}}", "application/json"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "Parameter 'username' must be a string."));

    [Fact]
    public Task Scope_of_the_wrong_type() => RefusedWithoutChangesAsync(
        () => PostRaw("oauth/token", "{\"grant_type\":\"password\",\"scope\":[1,2]}", "application/json"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_scope"));

    [Fact]
    public Task Malformed_json() => RefusedWithoutChangesAsync(
        () => PostRaw("oauth/token", "{\"grant_type\": \"password\",", "application/json"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "The request body is not valid JSON."));

    [Fact]
    public Task Json_that_is_not_an_object() => RefusedWithoutChangesAsync(
        () => PostRaw("oauth/token", "[\"password\"]", "application/json"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request"));

    [Fact]
    public Task Unsupported_content_type() => RefusedWithoutChangesAsync(
        () => PostRaw("oauth/token", "grant_type=password", "text/plain"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request"));

    [Fact]
    public Task Oversized_body() => RefusedWithoutChangesAsync(
        () => Form("grant_type=password&padding=" + new string('a', 70_000)),
        r => HttpAssert.OAuthErrorAsync(r, 413, "invalid_request"));

    [Fact]
    public Task Unknown_grant_type() => RefusedWithoutChangesAsync(
        () => Form($"grant_type=urn:example:magic&client_id={tenant.NativeClientId}"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "unsupported_grant_type", "Unsupported grant type: urn:example:magic"));

    [Fact]
    public Task Unknown_client() => RefusedWithoutChangesAsync(
        () => Form("grant_type=password&client_id=nobody&username=a&password=b"),
        r => HttpAssert.OAuthErrorAsync(r, 401, "invalid_client"));

    [Fact]
    public Task Wrong_client_secret() => RefusedWithoutChangesAsync(
        () => Form($"grant_type=client_credentials&client_id={Server.ManagementClientId}&client_secret=wrong&audience={Uri.EscapeDataString(Server.ManagementAudience)}"),
        r => HttpAssert.OAuthErrorAsync(r, 401, "invalid_client"));

    [Fact]
    public Task Grant_type_not_allowed_for_the_client() => RefusedWithoutChangesAsync(
        () => Form($"grant_type=client_credentials&client_id={tenant.NativeClientId}&audience=x"),
        r => HttpAssert.OAuthErrorAsync(r, 403, "unauthorized_client", "Grant type 'client_credentials' not allowed for the client."));

    [Fact]
    public Task Unknown_audience() => RefusedWithoutChangesAsync(
        () => tenant.PasswordLoginAsync(audience: "https://unknown.example/"),
        r => HttpAssert.OAuthErrorAsync(r, 403, "access_denied", "Service not found: https://unknown.example/"));

    [Fact]
    public Task Password_grant_cannot_reach_the_management_api() => RefusedWithoutChangesAsync(
        () => tenant.PasswordLoginAsync(audience: Server.ManagementAudience),
        r => HttpAssert.OAuthErrorAsync(r, 403, "access_denied"));

    [Fact]
    public async Task Connection_not_enabled_for_the_client()
    {
        await tenant.PostAsync("connections", new { name = "not-enabled", strategy = "auth0" });
        await RefusedWithoutChangesAsync(
            () => Form($"grant_type=http%3A%2F%2Fauth0.com%2Foauth%2Fgrant-type%2Fpassword-realm&client_id={tenant.NativeClientId}&username={TestTenant.UserEmail}&password=x&realm=not-enabled"),
            r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "the connection was disabled"));
        await RefusedWithoutChangesAsync(
            () => Form($"grant_type=http%3A%2F%2Fauth0.com%2Foauth%2Fgrant-type%2Fpassword-realm&client_id={tenant.NativeClientId}&username=a&password=x&realm=no-such-connection"),
            r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "the connection was not found"));
    }

    [Fact]
    public Task Wrong_password_changes_no_user() => RefusedWithoutChangesAsync(
        () => tenant.PasswordLoginAsync(password: "not-the-password"),
        r => HttpAssert.OAuthErrorAsync(r, 403, "invalid_grant", "Wrong email or password."));

    // Management API

    private async Task<HttpResponseMessage> ManagementAsync(HttpMethod method, string path, string? json = null, string? token = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, "api/v2/" + path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await Server.GetManagementTokenAsync());
        return await Server.Client.SendAsync(request);
    }

    [Fact]
    public async Task Management_without_or_with_a_bad_token_is_401()
    {
        await RefusedWithoutChangesAsync(() => Server.Client.PostAsJsonAsync("api/v2/clients", new { name = "x" }),
            r => HttpAssert.ManagementErrorAsync(r, 401, "missing_authentication"));
        await RefusedWithoutChangesAsync(() => ManagementAsync(HttpMethod.Post, "clients", "{\"name\":\"x\"}", token: "not-a-token"),
            async r => Assert.Equal("Invalid token", await HttpAssert.ManagementErrorAsync(r, 401, "invalid_token")));
        await RefusedWithoutChangesAsync(() => ManagementAsync(HttpMethod.Post, "clients", "{\"name\":\"x\"}", token: "eyJhbGciOiJub25lIn0.e30."),
            r => HttpAssert.ManagementErrorAsync(r, 401, "invalid_token"));
        var userToken = (await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync())).GetProperty("access_token").GetString();
        await RefusedWithoutChangesAsync(() => ManagementAsync(HttpMethod.Post, "clients", "{\"name\":\"x\"}", token: userToken),
            async r => Assert.StartsWith("Bad audience: ", await HttpAssert.ManagementErrorAsync(r, 401, "invalid_token"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Management_without_the_scope_is_403()
    {
        var reader = await tenant.PostAsync("clients", new { name = "Reader", app_type = "non_interactive" });
        await tenant.PostAsync("client-grants", new { client_id = reader.GetProperty("client_id").GetString(), audience = Server.ManagementAudience, scope = new[] { "read:users" } });
        var token = (await HttpAssert.OkJsonAsync(await tenant.TokenAsync(("grant_type", "client_credentials"), ("client_id", reader.GetProperty("client_id").GetString()!),
            ("client_secret", reader.GetProperty("client_secret").GetString()!), ("audience", Server.ManagementAudience)))).GetProperty("access_token").GetString();

        Assert.Equal(HttpStatusCode.OK, (await ManagementAsync(HttpMethod.Get, "users", token: token)).StatusCode);
        await RefusedWithoutChangesAsync(() => ManagementAsync(HttpMethod.Get, "clients", token: token),
            async r => Assert.Equal("Insufficient scope, expected any of: read:clients,read:client_keys", await HttpAssert.ManagementErrorAsync(r, 403, "insufficient_scope")));
        await RefusedWithoutChangesAsync(() => ManagementAsync(HttpMethod.Delete, $"users/{Uri.EscapeDataString(tenant.UserId)}", token: token),
            r => HttpAssert.ManagementErrorAsync(r, 403, "insufficient_scope"));
    }

    [Theory]
    [InlineData("clients", "{\"name\": 5}", "on property name")]
    [InlineData("clients", "{\"name\": \"ok\", \"colour\": \"red\"}", "Additional properties not allowed: colour")]
    [InlineData("clients", "{\"name\": \"ok\", \"app_type\": \"toaster\"}", "on property app_type")]
    [InlineData("clients", "{\"name\": \"ok\", \"grant_types\": [\"teleport\"]}", "on property grant_types")]
    [InlineData("clients", "{\"name\": \"ok\", \"app_type\": \"native\", \"grant_types\": [\"client_credentials\"]}", "on property grant_types")]
    [InlineData("clients", "{}", "Missing required property: name")]
    [InlineData("clients", "[1,2]", "Expected type object")]
    [InlineData("clients", "{\"name\": ", "Invalid request payload JSON format")]
    [InlineData("connections", "{\"name\": \"bad name!\", \"strategy\": \"auth0\"}", "on property name")]
    [InlineData("connections", "{\"name\": \"-lead\", \"strategy\": \"auth0\"}", "on property name")]
    [InlineData("connections", "{\"name\": \"ok-name\", \"strategy\": \"martian\"}", "on property strategy")]
    [InlineData("connections", "{\"name\": \"ok-name\", \"strategy\": \"auth0\", \"options\": {\"requires_username\": \"yes\", \"warp\": 9}}", "warp")]
    [InlineData("connections", "{\"name\": \"ok-name\", \"strategy\": \"auth0\", \"options\": []}", "on property options")]
    [InlineData("resource-servers", "{\"identifier\": \"https://x/\", \"token_lifetime\": \"long\"}", "on property token_lifetime")]
    [InlineData("resource-servers", "{\"identifier\": \"https://x/\", \"scopes\": [{\"value\": \"has space\"}]}", "scopes[0].value")]
    [InlineData("resource-servers", "{\"identifier\": \"https://x/\", \"signing_alg\": \"HS256\"}", "signing_alg")]
    [InlineData("client-grants", "{\"client_id\": \"x\", \"audience\": 3, \"scope\": []}", "on property audience")]
    [InlineData("users", "{\"connection\": \"test-db\", \"email\": \"a@example.com\"}", "Missing required property: password")]
    [InlineData("users", "{\"connection\": \"test-db\", \"email\": \"not-an-email\", \"password\": \"Passw0rd!x\"}", "format email")]
    [InlineData("users", "{\"connection\": \"test-db\", \"email\": \"a@example.com\", \"password\": \"Passw0rd!\", \"blocked\": \"no\"}", "on property blocked")]
    [InlineData("users", "{\"connection\": \"no-such\", \"email\": \"a@example.com\", \"password\": \"Passw0rd!\"}", "The connection does not exist.")]
    public Task Management_payload_errors_name_the_problem(string path, string json, string expected) => RefusedWithoutChangesAsync(
        () => ManagementAsync(HttpMethod.Post, path, json),
        async r => Assert.Contains(expected, await HttpAssert.ManagementErrorAsync(r, 400, "invalid_body"), StringComparison.Ordinal));

    [Fact]
    public Task Management_body_must_be_json() => RefusedWithoutChangesAsync(
        () => ManagementAsync(HttpMethod.Post, "clients", "name=x", contentType: "application/x-www-form-urlencoded"),
        r => HttpAssert.ManagementErrorAsync(r, 400, "invalid_body"));

    [Fact]
    public Task Management_oversized_body_is_413() => RefusedWithoutChangesAsync(
        () => OversizedManagementPostAsync("{\"name\":\"" + new string('a', 1_100_000) + "\"}"),
        r => HttpAssert.ManagementErrorAsync(r, 413, "payload_too_large"));

    /// <summary>
    /// The server answers 413 from Content-Length without reading the body and may close the connection while a client
    /// is still sending it (a broken pipe, by luck of timing). A client that sends <c>Expect: 100-continue</c> waits for
    /// the answer first, so the refusal is read every time.
    /// </summary>
    private async Task<HttpResponseMessage> OversizedManagementPostAsync(string json)
    {
        var handler = (SocketsHttpHandler)Server.CreateHandler();
        handler.Expect100ContinueTimeout = TimeSpan.FromMinutes(1);
        using var client = new HttpClient(handler) { BaseAddress = new Uri(Server.Issuer) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/clients") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Server.GetManagementTokenAsync());
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [Theory]
    [InlineData("users?page=abc", "page")]
    [InlineData("users?per_page=1000", "per_page")]
    [InlineData("users?include_totals=maybe", "include_totals")]
    [InlineData("users?sort=email", "sort")]
    [InlineData("users?q=email:(a", "q")]
    [InlineData("users?q=favourite_colour:blue", "q")]
    public async Task Management_query_errors_are_400(string path, string property) =>
        Assert.Contains(property, await HttpAssert.ManagementErrorAsync(await ManagementAsync(HttpMethod.Get, path), 400, "invalid_query_string"), StringComparison.Ordinal);

    [Theory]
    [InlineData("clients/nope", "inexistent_client")]
    [InlineData("connections/con_nope", "inexistent_connection")]
    [InlineData("resource-servers/nope", "inexistent_resource_server")]
    [InlineData("client-grants/cgr_nope", "inexistent_client_grant")]
    [InlineData("users/auth0%7Cnope", "inexistent_user")]
    [InlineData("logs/nope", "inexistent_log")]
    [InlineData("keys/signing/nope", "inexistent_signing_key")]
    [InlineData("no-such-endpoint", "not_found")]
    public async Task Management_unknown_ids_are_404(string path, string errorCode) =>
        await HttpAssert.ManagementErrorAsync(await ManagementAsync(HttpMethod.Get, path), 404, errorCode);

    [Fact]
    public async Task Management_duplicates_are_409()
    {
        await RefusedWithoutChangesAsync(() => ManagementAsync(HttpMethod.Post, "connections", $"{{\"name\":\"{TestTenant.Connection}\",\"strategy\":\"auth0\"}}"),
            async r => Assert.Equal("A connection with the same name already exists", await HttpAssert.ManagementErrorAsync(r, 409, "connection_conflict")));
        await RefusedWithoutChangesAsync(() => ManagementAsync(HttpMethod.Post, "resource-servers", $"{{\"identifier\":\"{TestTenant.ApiAudience}\"}}"),
            r => HttpAssert.ManagementErrorAsync(r, 409, "conflict"));
        await RefusedWithoutChangesAsync(() => ManagementAsync(HttpMethod.Post, "client-grants", $"{{\"client_id\":\"{Server.ManagementClientId}\",\"audience\":\"{Server.ManagementAudience}\",\"scope\":[\"read:users\"]}}"),
            r => HttpAssert.ManagementErrorAsync(r, 409, "conflict"));
        await RefusedWithoutChangesAsync(() => ManagementAsync(HttpMethod.Post, "users", $"{{\"connection\":\"{TestTenant.Connection}\",\"email\":\"{TestTenant.UserEmail.ToUpperInvariant()}\",\"password\":\"An0ther-Passw0rd\"}}"),
            async r => Assert.Equal("The user already exists.", await HttpAssert.ManagementErrorAsync(r, 409, "auth0_idp_error")));
    }

    [Fact]
    public async Task The_management_api_resource_server_cannot_be_deleted()
    {
        var servers = await HttpAssert.OkJsonAsync(await ManagementAsync(HttpMethod.Get, "resource-servers"));
        var system = servers.EnumerateArray().Single(s => s.GetProperty("is_system").GetBoolean());
        await RefusedWithoutChangesAsync(() => ManagementAsync(HttpMethod.Delete, $"resource-servers/{system.GetProperty("id").GetString()}"),
            r => HttpAssert.ManagementErrorAsync(r, 403, "operation_not_supported"));
    }
}

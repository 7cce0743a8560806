using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Management;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests;

/// <summary>
/// The scope matrix walked: every Management API route is in it; for each route a token holding every other scope is
/// refused and changes nothing, a token with the route's scope gets through; each field rule likewise; and secrets
/// appear only for read:client_keys / read:connections_options.
/// </summary>
public sealed class ScopeMatrixTests : IAsyncLifetime
{
    private const string WaadSecret = "waad-secret-Zq81x9Lm";
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private TestTenant _tenant = null!;
    private int _serial;

    private HttpClient Admin => _tenant.Management;

    // Public documents, like Auth0's published reference: outside the matrix on purpose.
    private static readonly string[] PublicRoutes = ["GET /openapi.json", "GET /reference"];

    public async Task InitializeAsync() => _tenant = await TestTenant.StartAsync(c => c["RateLimits:Enabled"] = "false");

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
            client.Dispose();
        await _tenant.DisposeAsync();
    }

    [Fact]
    public void Every_management_route_is_in_the_matrix_with_the_scopes_it_enforces()
    {
        var endpoints = _tenant.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v2/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Key: $"{m} {e.RoutePattern.RawText![7..]}", Endpoint: e)))
            .Where(e => !PublicRoutes.Contains(e.Key))
            .ToList();
        Assert.Empty(endpoints.Select(e => e.Key).Except(ManagementScopeMatrix.Routes.Keys)); // a route the matrix misses refuses everyone
        Assert.Empty(ManagementScopeMatrix.Routes.Keys.Except(endpoints.Select(e => e.Key))); // a row with no route is a typo
        Assert.All(endpoints, e => Assert.Equal(ManagementScopeMatrix.Routes[e.Key], e.Endpoint.Metadata.GetMetadata<RequiredScopes>()?.AnyOf));
        Assert.All(ManagementScopeMatrix.Routes.Values.SelectMany(s => s).Concat(ManagementScopeMatrix.Fields.SelectMany(f => f.AnyOf)).SelectMany(s => s.Split(' ')), s => Assert.Contains(s, ManagementScopes.All));
        Assert.All(ManagementScopeMatrix.Fields, f => Assert.True(ManagementScopeMatrix.Routes.ContainsKey(f.Route), f.Route));
    }

    [Fact]
    public async Task Each_route_refuses_every_other_scope_and_changes_nothing_and_admits_its_own()
    {
        foreach (var (route, anyOf) in ManagementScopeMatrix.Routes.Where(r => !ManagementScopeMatrix.IsOpenToAnyScope(r.Value)))
        {
            // An entry of several scopes (all needed) is denied by leaving out each of them.
            var denied = await WithScopesAsync(ManagementScopes.All.Except(anyOf.SelectMany(s => s.Split(' '))));
            var allowed = await WithScopesAsync(anyOf[0].Split(' '));
            var (path, body) = await SampleAsync(route);
            var before = await SnapshotAsync();
            var refused = await SendAsync(denied, route, path, body);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{route} with every other scope: {(int)refused.StatusCode}");
            Assert.Equal($"Insufficient scope, expected any of: {string.Join(',', anyOf)}", await HttpAssert.ManagementErrorAsync(refused, 403, "insufficient_scope"));
            Assert.True(before == await SnapshotAsync(), $"{route} refused but changed something");

            var admitted = await SendAsync(allowed, route, path, body);
            var status = (int)admitted.StatusCode;
            var expected = route switch
            {
                "PUT /keys/signing/{kid}/revoke" => 400, // the sample is the current key: refused, but by the rule, not the scope
                "GET /anomaly/blocks/ips/{id}" => 404, // the sample address is not throttled
                _ => 0,
            };
            Assert.True(expected == 0 ? status is >= 200 and < 300 : status == expected, $"{route} with {anyOf[0]}: {status} {await admitted.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Each_field_rule_refuses_a_caller_without_its_scope_and_changes_nothing()
    {
        foreach (var rule in ManagementScopeMatrix.Fields)
        {
            var routeScope = ManagementScopeMatrix.Routes[rule.Route][0];
            var (path, _) = await SampleAsync(rule.Route);
            var body = new Dictionary<string, object> { [FieldOf(rule)] = FieldSample(rule) };
            var denied = await WithScopesAsync(ManagementScopes.All.Except(rule.AnyOf));
            var before = await SnapshotAsync();
            var refused = await SendAsync(denied, rule.Route, path, body);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{rule} without its scope: {(int)refused.StatusCode}");
            await HttpAssert.ManagementErrorAsync(refused, 403, "insufficient_scope");
            Assert.True(before == await SnapshotAsync(), $"{rule} refused but changed something");

            var allowed = await WithScopesAsync([rule.AnyOf[0], routeScope]);
            var admitted = await SendAsync(allowed, rule.Route, path, body);
            Assert.True(admitted.IsSuccessStatusCode, $"{rule} with {rule.AnyOf[0]}: {(int)admitted.StatusCode} {await admitted.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Secrets_appear_only_for_the_scopes_that_read_them()
    {
        var client = await _tenant.PostAsync("clients", new { name = "Secretive", app_type = "non_interactive" });
        var clientSecret = client.GetProperty("client_secret").GetString()!;
        var clientId = client.GetProperty("client_id").GetString()!;
        var waad = await _tenant.PostAsync("connections", new
        {
            name = "secret-waad", strategy = "waad",
            options = new { tenant_domain = "contoso.example", client_id = "c8b7a6d5-1234-4abc-9def-001122334455", client_secret = WaadSecret },
        });
        var waadId = waad.GetProperty("id").GetString()!;
        string[] secrets = [clientSecret, _tenant.Server.ManagementClientSecret, WaadSecret, "PRIVATE KEY"];

        var blind = await WithScopesAsync(ManagementScopes.All.Except(["read:client_keys", "read:connections_options"]));
        var answers = new List<(string What, string Text)>();
        foreach (var (route, _) in ManagementScopeMatrix.Routes.Where(r => r.Key.StartsWith("GET ", StringComparison.Ordinal) && !ManagementScopeMatrix.IsOpenToAnyScope(r.Value)))
        {
            var (path, _) = await SampleAsync(route);
            answers.Add((route, await (await blind.GetAsync(path)).Content.ReadAsStringAsync()));
        }
        answers.Add(("GET /clients/{id} (the secretive one)", await (await blind.GetAsync($"clients/{clientId}")).Content.ReadAsStringAsync()));
        answers.Add(("GET /connections/{id} (waad)", await (await blind.GetAsync($"connections/{waadId}")).Content.ReadAsStringAsync()));
        answers.Add(("PATCH /clients/{id} {}", await (await blind.PatchAsJsonAsync($"clients/{clientId}", new { })).Content.ReadAsStringAsync()));
        answers.Add(("PATCH the bootstrap client {}", await (await blind.PatchAsJsonAsync($"clients/{_tenant.Server.ManagementClientId}", new { })).Content.ReadAsStringAsync()));
        answers.Add(("PATCH /connections/{id}", await (await blind.PatchAsJsonAsync($"connections/{waadId}", new { display_name = "Renamed" })).Content.ReadAsStringAsync()));
        foreach (var (what, text) in answers)
            Assert.False(secrets.Any(s => text.Contains(s, StringComparison.Ordinal)), $"{what} showed a secret: {text}");

        // The scopes that read them do see them.
        using var keys = await _tenant.ManagementWithScopesAsync("read:client_keys");
        Assert.Equal(clientSecret, (await HttpAssert.OkJsonAsync(await keys.GetAsync($"clients/{clientId}"))).GetProperty("client_secret").GetString());
        using var options = await _tenant.ManagementWithScopesAsync("read:connections", "read:connections_options");
        Assert.Equal(WaadSecret, (await HttpAssert.OkJsonAsync(await options.GetAsync($"connections/{waadId}"))).GetProperty("options").GetProperty("client_secret").GetString());
    }

    private static string FieldOf(FieldScopes rule) => rule.Field == "*" ? OtherFields[rule.Route] : rule.Field;

    // A field the "*" rule of each route covers.
    private static readonly Dictionary<string, string> OtherFields = new(StringComparer.Ordinal)
    {
        ["PATCH /clients/{id}"] = "name",
        ["PATCH /users/{id}"] = "blocked",
    };

    private static object FieldSample(FieldScopes rule) => (rule.Route, FieldOf(rule)) switch
    {
        (_, "client_secret") => "a-new-secret-of-enough-length",
        (_, "token_endpoint_auth_method") => "client_secret_basic",
        (_, "name") => "Renamed by the walk",
        (_, "blocked") => true,
        (_, "app_metadata" or "user_metadata") => new { walked = true },
        (_, "options") => new { passwordPolicy = "none" },
        var other => throw new InvalidOperationException($"No sample value for {other}: add one."),
    };

    /// <summary>A request for the route on resources made for it: the path under /api/v2/ and a body (null for none).</summary>
    private async Task<(string Path, object? Body)> SampleAsync(string route)
    {
        var n = Interlocked.Increment(ref _serial);
        var user = Uri.EscapeDataString(_tenant.UserId);
        switch (route)
        {
            case "GET /clients": return ("clients", null);
            case "POST /clients": return ("clients", new { name = $"Walked {n}", app_type = "spa" });
            case "GET /clients/{id}" or "DELETE /clients/{id}" or "GET /clients/{id}/credentials" or "POST /clients/{id}/rotate-secret":
                return ($"clients/{await NewClientAsync(n)}{Tail(route, "/clients/{id}")}", null);
            case "PATCH /clients/{id}": return ($"clients/{await NewClientAsync(n)}", new { description = "walked" });

            case "GET /resource-servers": return ("resource-servers", null);
            case "POST /resource-servers": return ("resource-servers", new { identifier = $"https://walk-{n}.example/", name = "Walk" });
            case "GET /resource-servers/{id}" or "DELETE /resource-servers/{id}": return ($"resource-servers/{await NewApiAsync(n)}", null);
            case "PATCH /resource-servers/{id}": return ($"resource-servers/{await NewApiAsync(n)}", new { name = "Walked" });

            case "GET /client-grants": return ("client-grants", null);
            case "POST /client-grants": return ("client-grants", new { client_id = await NewClientAsync(n), audience = TestTenant.ApiAudience, scope = new[] { "read:things" } });
            case "GET /client-grants/{id}" or "DELETE /client-grants/{id}": return ($"client-grants/{await NewGrantAsync(n)}", null);
            case "PATCH /client-grants/{id}": return ($"client-grants/{await NewGrantAsync(n)}", new { scope = Array.Empty<string>() });

            case "GET /connections": return ("connections", null);
            case "POST /connections": return ("connections", new { name = $"walk-new-{n}", strategy = "auth0" });
            case "GET /connections/{id}" or "DELETE /connections/{id}" or "GET /connections/{id}/clients":
                return ($"connections/{await NewConnectionAsync(n)}{Tail(route, "/connections/{id}")}", null);
            case "PATCH /connections/{id}": return ($"connections/{await NewConnectionAsync(n)}", new { display_name = "Walked" });
            case "PATCH /connections/{id}/clients": return ($"connections/{await NewConnectionAsync(n)}/clients", new[] { new { client_id = _tenant.NativeClientId, status = true } });

            case "GET /users": return ("users", null);
            case "GET /users/{id}": return ($"users/{user}", null);
            case "GET /users/{id}/logs": return ($"users/{user}/logs", null);
            case "GET /users-by-email": return ($"users-by-email?email={Uri.EscapeDataString(TestTenant.UserEmail)}", null);
            case "POST /users": return ("users", new { connection = TestTenant.Connection, email = $"walk-new-{n}@example.com", password = "Walk-Passw0rd!" });
            case "PATCH /users/{id}": return ($"users/{Uri.EscapeDataString(await NewUserAsync(n))}", new { user_metadata = new { walked = n } });
            case "DELETE /users/{id}": return ($"users/{Uri.EscapeDataString(await NewUserAsync(n))}", null);

            case "GET /roles": return ("roles", null);
            case "POST /roles": return ("roles", new { name = $"walk-role-{n}" });
            case "GET /roles/{id}" or "DELETE /roles/{id}" or "GET /roles/{id}/permissions" or "GET /roles/{id}/users":
                return ($"roles/{await NewRoleAsync(n)}{Tail(route, "/roles/{id}")}", null);
            case "PATCH /roles/{id}": return ($"roles/{await NewRoleAsync(n)}", new { description = "walked" });
            case "POST /roles/{id}/permissions" or "DELETE /roles/{id}/permissions": return ($"roles/{await NewRoleAsync(n)}/permissions", Permissions);
            case "POST /roles/{id}/users": return ($"roles/{await NewRoleAsync(n)}/users", new { users = new[] { _tenant.UserId } });
            case "GET /users/{id}/roles" or "GET /users/{id}/permissions": return ($"users/{user}{Tail(route, "/users/{id}")}", null);
            case "POST /users/{id}/roles" or "DELETE /users/{id}/roles": return ($"users/{user}/roles", new { roles = new[] { await NewRoleAsync(n) } });
            case "POST /users/{id}/permissions" or "DELETE /users/{id}/permissions": return ($"users/{user}/permissions", Permissions);
            case "POST /users/{id}/identities":
                return ($"users/{Uri.EscapeDataString(await NewUserAsync(n))}/identities", new { provider = "auth0", user_id = await NewUserAsync(n + 100_000) });
            case "DELETE /users/{id}/identities/{provider}/{user_id}":
            {
                var (primary, secondary) = (await NewUserAsync(n), await NewUserAsync(n + 100_000));
                (await Admin.PostAsJsonAsync($"users/{Uri.EscapeDataString(primary)}/identities", new { provider = "auth0", user_id = secondary })).EnsureSuccessStatusCode();
                return ($"users/{Uri.EscapeDataString(primary)}/identities/auth0/{secondary["auth0|".Length..]}", null);
            }

            case "GET /tenants/settings": return ("tenants/settings", null);
            case "PATCH /tenants/settings": return ("tenants/settings", new { friendly_name = $"Walk {n}" });

            case "GET /keys/signing": return ("keys/signing", null);
            case "GET /keys/signing/{kid}" or "PUT /keys/signing/{kid}/revoke": return ($"keys/signing/{await CurrentKidAsync()}{Tail(route, "/keys/signing/{kid}")}", null);
            case "POST /keys/signing/rotate": return ("keys/signing/rotate", null);

            case "GET /logs": return ("logs", null);
            case "GET /logs/{id}":
                var log = (await _tenant.Server.Store.ListLogsAsync(new LogQuery(null, null, new PageRequest(0, 1)), CancellationToken.None)).Items[0];
                return ($"logs/{log.LogId}", null);

            case "GET /user-blocks" or "DELETE /user-blocks": return ($"user-blocks?identifier={Uri.EscapeDataString(TestTenant.UserEmail)}", null);
            case "GET /user-blocks/{id}" or "DELETE /user-blocks/{id}": return ($"user-blocks/{user}", null);
            case "GET /anomaly/blocks/ips/{id}" or "DELETE /anomaly/blocks/ips/{id}": return ("anomaly/blocks/ips/192.0.2.7", null);

            case "GET /sessions/{id}" or "DELETE /sessions/{id}": return ($"sessions/{await NewSessionAsync(n)}", null);
            case "GET /users/{id}/sessions" or "DELETE /users/{id}/sessions": return ($"users/{user}/sessions", null);
            case "DELETE /users/{id}/refresh-tokens": return ($"users/{user}/refresh-tokens", null);
            case "POST /users/{id}/gatehouse/revoke-access": return ($"users/{user}/gatehouse/revoke-access", null);
            case "GET /branding": return ("branding", null);
            case "PATCH /branding": return ("branding", new { colors = new { primary = "#123456" } });
        }
        if (route.StartsWith("GET /attack-protection/", StringComparison.Ordinal))
            return (route[5..], null);
        if (route.StartsWith("PATCH /attack-protection/", StringComparison.Ordinal))
            return (route[7..], new { enabled = true });
        throw new InvalidOperationException($"No sample request for {route}: add one.");
    }

    private static string Tail(string route, string resource) => route[(route.IndexOf(resource, StringComparison.Ordinal) + resource.Length)..];

    private async Task<string> NewClientAsync(int n) =>
        (await _tenant.PostAsync("clients", new { name = $"Walk client {n}", app_type = "non_interactive" })).GetProperty("client_id").GetString()!;

    private static readonly object Permissions = new { permissions = new[] { new { resource_server_identifier = TestTenant.ApiAudience, permission_name = "read:things" } } };

    private async Task<string> NewRoleAsync(int n) =>
        (await HttpAssert.OkJsonAsync(await Admin.PostAsJsonAsync("roles", new { name = $"walk-role-of-{n}" }))).GetProperty("id").GetString()!;

    private async Task<string> NewApiAsync(int n) =>
        (await _tenant.PostAsync("resource-servers", new { identifier = $"https://walk-api-{n}.example/", name = "Walk API" })).GetProperty("id").GetString()!;

    private async Task<string> NewGrantAsync(int n) =>
        (await _tenant.PostAsync("client-grants", new { client_id = await NewClientAsync(n), audience = TestTenant.ApiAudience, scope = new[] { "read:things" } })).GetProperty("id").GetString()!;

    private async Task<string> NewConnectionAsync(int n) =>
        (await _tenant.PostAsync("connections", new { name = $"walk-{n}", strategy = "auth0" })).GetProperty("id").GetString()!;

    private async Task<string> NewUserAsync(int n) =>
        (await _tenant.PostAsync("users", new { connection = TestTenant.Connection, email = $"walk-{n}@example.com", password = "Walk-Passw0rd!" })).GetProperty("user_id").GetString()!;

    /// <summary>A stored SSO session of the tenant's user (no browser needed to walk its routes).</summary>
    private async Task<string> NewSessionAsync(int n)
    {
        var now = DateTimeOffset.UtcNow;
        var session = await _tenant.Server.Services.GetRequiredService<Gatehouse.Core.Sessions.ISsoSessionStore>().CreateAsync(new(
            $"walk-session-{n}", _tenant.UserId, [TestTenant.Connection], [_tenant.NativeClientId], now, now, now.AddDays(1), now.AddHours(1), null, null, now, 0),
            CancellationToken.None);
        return session.Id;
    }

    private async Task<string> CurrentKidAsync() =>
        (await _tenant.Server.Store.ListSigningKeysAsync(CancellationToken.None)).Single(k => k.Current).Kid;

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string route, string path, object? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(route[..route.IndexOf(' ', StringComparison.Ordinal)]), path);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return client.SendAsync(request);
    }

    /// <summary>A Management API client holding exactly these scopes (made once per set).</summary>
    private async Task<HttpClient> WithScopesAsync(IEnumerable<string> scopes)
    {
        var set = scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var key = string.Join(' ', set);
        if (_clients.TryGetValue(key, out var client))
            return client;
        var app = await _tenant.PostAsync("clients", new { name = $"Walk caller {_clients.Count}", app_type = "non_interactive" });
        var id = app.GetProperty("client_id").GetString()!;
        await _tenant.PostAsync("client-grants", new { client_id = id, audience = _tenant.Server.ManagementAudience, scope = set });
        var token = await HttpAssert.OkJsonAsync(await _tenant.TokenAsync(("grant_type", "client_credentials"), ("client_id", id),
            ("client_secret", app.GetProperty("client_secret").GetString()!), ("audience", _tenant.Server.ManagementAudience)));
        _clients[key] = client = await _tenant.Server.CreateManagementClientAsync(token.GetProperty("access_token").GetString());
        return client;
    }

    /// <summary>The tenant snapshot plus what it leaves out that a route here writes (attack-protection settings).</summary>
    private async Task<string> SnapshotAsync()
    {
        var protection = new List<long?>();
        foreach (var kind in new[] { AttackProtectionKinds.BruteForce, AttackProtectionKinds.SuspiciousIp, AttackProtectionKinds.BreachedPassword })
            protection.Add((await _tenant.Server.Store.GetProtectionSettingsAsync(kind, CancellationToken.None))?.Version);
        return await _tenant.SnapshotAsync() + JsonSerializer.Serialize(protection);
    }
}

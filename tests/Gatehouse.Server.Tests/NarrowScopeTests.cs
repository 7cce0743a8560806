using System.Net;
using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Server.Tests;

/// <summary>Narrow Management API scopes stay narrow: update:clients is not a key scope, update:users_app_metadata reaches only metadata.</summary>
public class NarrowScopeTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    [Fact]
    public async Task Update_clients_neither_sees_nor_sets_a_client_secret()
    {
        var client = await tenant.PostAsync("clients", new { name = "Guarded", app_type = "non_interactive" });
        var id = client.GetProperty("client_id").GetString()!;
        var secret = client.GetProperty("client_secret").GetString()!;
        using var editor = await tenant.ManagementWithScopesAsync("update:clients");

        // An empty PATCH answered the secret, the bootstrap client's included.
        var patched = await HttpAssert.OkJsonAsync(await editor.PatchAsJsonAsync($"clients/{id}", new { }));
        Assert.False(patched.TryGetProperty("client_secret", out _));
        var bootstrap = await HttpAssert.OkJsonAsync(await editor.PatchAsJsonAsync($"clients/{tenant.Server.ManagementClientId}", new { }));
        Assert.False(bootstrap.TryGetProperty("client_secret", out _));

        // Setting a secret, or an auth method that changes the credential, needs update:client_keys and changes nothing.
        var snapshot = await tenant.SnapshotAsync();
        Assert.Equal("Insufficient scope, expected any of: update:client_keys", await HttpAssert.ManagementErrorAsync(
            await editor.PatchAsJsonAsync($"clients/{id}", new { client_secret = "attacker-chosen-secret-123" }), 403, "insufficient_scope"));
        await HttpAssert.ManagementErrorAsync(await editor.PatchAsJsonAsync($"clients/{id}", new { name = "Still guarded", token_endpoint_auth_method = "none", grant_types = new[] { "password" } }), 403, "insufficient_scope");
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
        (string, string)[] grant = [("grant_type", "client_credentials"), ("client_id", id), ("client_secret", secret), ("audience", TestTenant.ApiAudience)];
        await tenant.PostAsync("client-grants", new { client_id = id, audience = TestTenant.ApiAudience, scope = new[] { "read:things" } });
        await HttpAssert.OkJsonAsync(await tenant.TokenAsync(grant));

        // Re-sending the stored method (tools send whole clients) is no change.
        await HttpAssert.OkJsonAsync(await editor.PatchAsJsonAsync($"clients/{id}", new { token_endpoint_auth_method = "client_secret_post", description = "resent" }));

        // With the key scopes: set, and shown (and the showing audited).
        using var keys = await tenant.ManagementWithScopesAsync("update:client_keys", "read:client_keys");
        var shownBefore = (await tenant.LogsOfTypeAsync("mgmt_api_read")).Count;
        var rekeyed = await HttpAssert.OkJsonAsync(await keys.PatchAsJsonAsync($"clients/{id}", new { client_secret = "operator-chosen-secret-456" }));
        Assert.Equal("operator-chosen-secret-456", rekeyed.GetProperty("client_secret").GetString());
        Assert.Equal(shownBefore + 1, (await tenant.LogsOfTypeAsync("mgmt_api_read")).Count);
        await HttpAssert.OAuthErrorAsync(await tenant.TokenAsync(grant), 401, "invalid_client");
    }

    [Fact]
    public async Task Update_users_app_metadata_changes_the_metadata_and_nothing_else()
    {
        var user = await tenant.PostAsync("users", new { connection = TestTenant.Connection, email = "meta@example.com", password = "Meta-Passw0rd!" });
        var path = $"users/{Uri.EscapeDataString(user.GetProperty("user_id").GetString()!)}";
        using var metadata = await tenant.ManagementWithScopesAsync("update:users_app_metadata");

        var snapshot = await tenant.SnapshotAsync();
        foreach (var body in new object[] { new { password = "Taken-Over-Passw0rd!" }, new { blocked = true }, new { email_verified = true }, new { name = "Mallory" },
                     new { app_metadata = new { plan = "gold" }, blocked = true } })
        {
            Assert.Equal("Insufficient scope, expected any of: update:users",
                await HttpAssert.ManagementErrorAsync(await metadata.PatchAsJsonAsync(path, body), 403, "insufficient_scope"));
        }
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
        await HttpAssert.OkJsonAsync(await tenant.TokenAsync(("grant_type", "password"), ("client_id", tenant.NativeClientId), ("username", "meta@example.com"), ("password", "Meta-Passw0rd!")));

        var changed = await HttpAssert.OkJsonAsync(await metadata.PatchAsJsonAsync(path, new { app_metadata = new { plan = "gold" }, user_metadata = new { theme = "dark" } }));
        Assert.Equal(("gold", "dark", false), (changed.GetProperty("app_metadata").GetProperty("plan").GetString(),
            changed.GetProperty("user_metadata").GetProperty("theme").GetString(), changed.GetProperty("blocked").GetBoolean()));
    }

    [Fact]
    public async Task A_deleted_users_tokens_give_a_recreated_user_of_the_same_id_nothing()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var own = await TestTenant.StartAsync(null, services => services.AddSingleton<TimeProvider>(clock));
        await using var server = own.Server;
        using var management = own.Management;
        object User() => new { connection = TestTenant.Connection, user_id = "phoenix", email = "phoenix@example.com", password = "Phoenix-Passw0rd!" };
        var userId = (await own.PostAsync("users", User())).GetProperty("user_id").GetString()!;
        var login = await HttpAssert.OkJsonAsync(await own.TokenAsync(("grant_type", "password"), ("client_id", own.NativeClientId),
            ("username", "phoenix@example.com"), ("password", "Phoenix-Passw0rd!"), ("scope", "openid offline_access"), ("audience", TestTenant.ApiAudience)));
        var refresh = login.GetProperty("refresh_token").GetString()!;
        var access = login.GetProperty("access_token").GetString()!;

        Assert.Equal(HttpStatusCode.NoContent, (await management.DeleteAsync($"users/{Uri.EscapeDataString(userId)}")).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(userId, (await own.PostAsync("users", User())).GetProperty("user_id").GetString());

        await HttpAssert.OAuthErrorAsync(await own.TokenAsync(("grant_type", "refresh_token"), ("client_id", own.NativeClientId), ("refresh_token", refresh)), 403, "invalid_grant");
        using var userinfo = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        userinfo.Headers.Authorization = new("Bearer", access);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.SendAsync(userinfo)).StatusCode);
        // The new user's own login works.
        await HttpAssert.OkJsonAsync(await own.TokenAsync(("grant_type", "password"), ("client_id", own.NativeClientId),
            ("username", "phoenix@example.com"), ("password", "Phoenix-Passw0rd!"), ("scope", "openid offline_access"), ("audience", TestTenant.ApiAudience)));
    }
}

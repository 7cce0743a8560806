using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Core.Security;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Login;

/// <summary>Auth0's session endpoints of the Management API, with and without their scopes.</summary>
public sealed class SessionsApiTests
{
    [Fact]
    public async Task Sessions_are_read_and_ended_per_session_and_per_user_with_read_and_delete_sessions()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        await browser.SignInAsync(world.WebClientId);
        var id = Secrets.HashToken(browser.SessionCookie!);
        var user = Uri.EscapeDataString(world.Tenant.UserId);
        var management = world.Tenant.Management;

        var listed = await HttpAssert.OkJsonAsync(await management.GetAsync($"users/{user}/sessions"));
        var session = Assert.Single(listed.GetProperty("sessions").EnumerateArray());
        Assert.Equal(id, session.GetProperty("id").GetString());
        Assert.Equal(world.Tenant.UserId, session.GetProperty("user_id").GetString());
        Assert.Equal(world.WebClientId, session.GetProperty("clients")[0].GetProperty("client_id").GetString());
        foreach (var field in new[] { "created_at", "updated_at", "authenticated_at", "idle_expires_at", "expires_at", "last_interacted_at" })
            Assert.Equal(JsonValueKind.String, session.GetProperty(field).ValueKind);
        Assert.Equal(id, (await HttpAssert.OkJsonAsync(await management.GetAsync($"sessions/{id}"))).GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.OK, (await management.DeleteAsync($"sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync($"sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.DeleteAsync($"sessions/{id}")).StatusCode);
        Assert.Contains("error=login_required", await SessionLifetimeTests.SilentAsync(world, browser), StringComparison.Ordinal);

        await browser.SignInAsync(world.WebClientId);
        Assert.Equal(HttpStatusCode.Accepted, (await management.DeleteAsync($"users/{user}/sessions")).StatusCode);
        Assert.Empty((await HttpAssert.OkJsonAsync(await management.GetAsync($"users/{user}/sessions"))).GetProperty("sessions").EnumerateArray());
        Assert.Contains("error=login_required", await SessionLifetimeTests.SilentAsync(world, browser), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("users/auth0%7Cnobody/sessions")).StatusCode);
    }

    [Fact]
    public async Task A_caller_one_scope_short_gets_403_and_changes_nothing()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        await browser.SignInAsync(world.WebClientId);
        var id = Secrets.HashToken(browser.SessionCookie!);
        var user = Uri.EscapeDataString(world.Tenant.UserId);
        using var readOnly = await world.Tenant.ManagementWithScopesAsync("read:sessions");
        using var deleteOnly = await world.Tenant.ManagementWithScopesAsync("delete:sessions");
        using var usersOnly = await world.Tenant.ManagementWithScopesAsync("read:users", "delete:users");

        Assert.Equal(HttpStatusCode.Forbidden, (await deleteOnly.GetAsync($"sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await deleteOnly.GetAsync($"users/{user}/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.DeleteAsync($"sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.DeleteAsync($"users/{user}/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await usersOnly.GetAsync($"users/{user}/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync($"sessions/{id}")).StatusCode);
        Assert.Contains("code=", await SessionLifetimeTests.SilentAsync(world, browser), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await deleteOnly.DeleteAsync($"sessions/{id}")).StatusCode);
        Assert.Contains("error=login_required", await SessionLifetimeTests.SilentAsync(world, browser), StringComparison.Ordinal);
    }
}

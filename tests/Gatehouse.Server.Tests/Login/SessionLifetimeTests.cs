using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Server.Tests.Login;

/// <summary>The tenant's session_lifetime and idle_session_lifetime (hours), on a fake clock: no waiting.</summary>
public sealed class SessionLifetimeTests
{
    [Fact]
    public async Task A_session_ends_after_the_idle_lifetime_without_interaction_and_interaction_extends_it()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await LoginWorld.StartAsync(clock);
        await world.PatchTenantAsync(new { session_lifetime = 10, idle_session_lifetime = 1 });
        using var browser = world.NewBrowser();
        await browser.SignInAsync(world.WebClientId);

        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Contains("code=", await SilentAsync(world, browser), StringComparison.Ordinal); // an interaction: the idle end moves
        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Contains("code=", await SilentAsync(world, browser), StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Contains("error=login_required", await SilentAsync(world, browser), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_ends_at_the_absolute_lifetime_however_busy_and_a_lowered_setting_applies_at_once()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await LoginWorld.StartAsync(clock);
        await world.PatchTenantAsync(new { session_lifetime = 2, idle_session_lifetime = 1 });
        using var browser = world.NewBrowser();
        await browser.SignInAsync(world.WebClientId);

        for (var i = 0; i < 2; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(55));
            Assert.Contains("code=", await SilentAsync(world, browser), StringComparison.Ordinal);
        }
        clock.Advance(TimeSpan.FromMinutes(11)); // 2 h 1 min after the login, 11 min after the last interaction
        Assert.Contains("error=login_required", await SilentAsync(world, browser), StringComparison.Ordinal);

        using var second = world.NewBrowser();
        await second.SignInAsync(world.WebClientId);
        clock.Advance(TimeSpan.FromMinutes(40));
        await world.PatchTenantAsync(new { idle_session_lifetime = 0.5 });
        Assert.Contains("error=login_required", await SilentAsync(world, second), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_or_blocked_user_has_no_session()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        await browser.SignInAsync(world.WebClientId);
        var user = Uri.EscapeDataString(world.Tenant.UserId);

        (await world.Tenant.Management.PatchAsync($"users/{user}", System.Net.Http.Json.JsonContent.Create(new { blocked = true }))).EnsureSuccessStatusCode();
        Assert.Contains("error=login_required", await SilentAsync(world, browser), StringComparison.Ordinal);

        (await world.Tenant.Management.PatchAsync($"users/{user}", System.Net.Http.Json.JsonContent.Create(new { blocked = false }))).EnsureSuccessStatusCode();
        await browser.SignInAsync(world.WebClientId);
        Assert.Contains("code=", await SilentAsync(world, browser), StringComparison.Ordinal);
        (await world.Tenant.Management.DeleteAsync($"users/{user}")).EnsureSuccessStatusCode();
        Assert.Contains("error=login_required", await SilentAsync(world, browser), StringComparison.Ordinal);
    }

    /// <summary>/authorize with prompt=none: where the app is sent (a code from the session, or login_required).</summary>
    internal static async Task<string> SilentAsync(LoginWorld world, Browser browser)
    {
        var response = await browser.Http.GetAsync($"authorize?response_type=code&client_id={world.WebClientId}&redirect_uri={Uri.EscapeDataString(LoginWorld.Callback)}&state=s&prompt=none");
        return response.Headers.Location?.AbsoluteUri ?? $"(no redirect: {(int)response.StatusCode})";
    }
}

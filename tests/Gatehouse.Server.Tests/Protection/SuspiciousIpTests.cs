using System.Net;
using Gatehouse.Core.Logs;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Protection;

/// <summary>Suspicious IP throttling end to end: failures across accounts from one IP, Retry-After, limit_mu, anomaly blocks.</summary>
public class SuspiciousIpTests(ProtectionFixture fixture) : IClassFixture<ProtectionFixture>, IAsyncLifetime
{
    private const string Throttled = "We have detected suspicious login behavior and further attempts will be blocked. Please contact the administrator.";

    public Task InitializeAsync() => fixture.ResetSettingsAsync();

    public Task DisposeAsync() => fixture.ResetSettingsAsync();

    [Fact]
    public async Task Failed_logins_across_accounts_throttle_the_ip_with_retry_after_until_the_anomaly_block_is_lifted()
    {
        const string ip = "198.51.100.77";
        await fixture.AddUserAsync("sit.user@example.com");
        await fixture.PatchSettingsAsync("suspicious-ip-throttling", new Dictionary<string, object> { ["stage"] = new Dictionary<string, object> { ["pre-login"] = new { max_attempts = 4, rate = 3_600_000 } } });
        for (var i = 0; i < 4; i++)
            await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(ProtectionFixture.Db, $"sit.victim{i}@example.com", "guess", ip), 403, "invalid_grant");

        var throttled = await fixture.LoginAsync(ProtectionFixture.Db, "sit.user@example.com", ProtectionFixture.Password, ip);
        await HttpAssert.OAuthErrorAsync(throttled, 429, "too_many_attempts", Throttled);
        Assert.InRange(int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 3000, 3600);
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "sit.user@example.com", ProtectionFixture.Password, "198.51.100.78")).StatusCode);

        var trip = Assert.Single(await fixture.LogsAsync(LogTypes.SuspiciousIpBlock), l => l.Ip == ip);
        Assert.Equal(4, trip.Details!.Value.GetProperty("max_attempts").GetInt32());

        using var reader = await fixture.ManagementWithScopesAsync("read:anomaly_blocks");
        using var deleter = await fixture.ManagementWithScopesAsync("delete:anomaly_blocks");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"anomaly/blocks/ips/{ip}")).StatusCode);
        Assert.Equal("IP address specified is not currently blocked.", await HttpAssert.ManagementErrorAsync(await reader.GetAsync("anomaly/blocks/ips/198.51.100.78"), 404, "inexistent_entity"));
        await HttpAssert.ManagementErrorAsync(await reader.GetAsync("anomaly/blocks/ips/not-an-ip"), 400, "invalid_uri");
        await HttpAssert.ManagementErrorAsync(await reader.DeleteAsync($"anomaly/blocks/ips/{ip}"), 403, "insufficient_scope");
        await HttpAssert.ManagementErrorAsync(await deleter.GetAsync($"anomaly/blocks/ips/{ip}"), 403, "insufficient_scope");

        Assert.Equal(HttpStatusCode.NoContent, (await deleter.DeleteAsync($"anomaly/blocks/ips/{ip}")).StatusCode);
        await HttpAssert.ManagementErrorAsync(await reader.GetAsync($"anomaly/blocks/ips/{ip}"), 404, "inexistent_entity");
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "sit.user@example.com", ProtectionFixture.Password, ip)).StatusCode);
    }

    [Fact]
    public async Task Allowlisted_ips_and_a_missing_block_shield_are_never_throttled()
    {
        await fixture.AddUserAsync("sit.allow@example.com");
        await fixture.PatchSettingsAsync("suspicious-ip-throttling", new Dictionary<string, object>
        {
            ["allowlist"] = new[] { "2001:db8:77::/48" },
            ["stage"] = new Dictionary<string, object> { ["pre-login"] = new { max_attempts = 2, rate = 3_600_000 } },
        });
        for (var i = 0; i < 4; i++)
        {
            await fixture.LoginAsync(ProtectionFixture.Db, $"sit.a{i}@example.com", "guess", "2001:db8:77::1");
            await fixture.LoginAsync(ProtectionFixture.Db, $"sit.b{i}@example.com", "guess", "198.51.100.88");
        }
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "sit.allow@example.com", ProtectionFixture.Password, "2001:db8:77::1")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.LoginAsync(ProtectionFixture.Db, "sit.allow@example.com", ProtectionFixture.Password, "198.51.100.88")).StatusCode);

        await fixture.PatchSettingsAsync("suspicious-ip-throttling", new { shields = new[] { "admin_notification" } });
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "sit.allow@example.com", ProtectionFixture.Password, "198.51.100.88")).StatusCode);
        Assert.DoesNotContain(await fixture.LogsAsync(LogTypes.SuspiciousIpBlock), l => l.Ip == "2001:db8:77::1");
    }
}

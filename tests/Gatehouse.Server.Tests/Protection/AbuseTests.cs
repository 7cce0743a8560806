using System.Net;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Protection;

/// <summary>
/// Issue 14's abuse tests, run as an attacker would against Gatehouse and the Azure AD emulator on loopback: a spray
/// across two connections to one tenant, a spray from one IPv6 /64, and a lock-out attempt from abroad while the user
/// signs in from home. The end user's address is set with auth0-forwarded-for from the trusted backend. (The flood of
/// identifiers is a unit test: AttackCounterFloodTests.)
/// </summary>
public class AbuseTests(ProtectionFixture fixture) : IClassFixture<ProtectionFixture>, IAsyncLifetime
{
    private const int AzureLocked = 50053;
    private const int AzureWrongPassword = 50126;

    public Task InitializeAsync() => fixture.ResetSettingsAsync();

    public Task DisposeAsync() => fixture.ResetSettingsAsync();

    private int EmulatorCount(string upn, int resultCode) =>
        fixture.Emulator.SignInLog.Entries.Count(e => string.Equals(e.UserPrincipalName, upn, StringComparison.OrdinalIgnoreCase) && e.ResultCode == resultCode);

    [Fact]
    public async Task A_spray_across_two_connections_to_one_tenant_stops_at_the_guards_count_and_azure_never_locks()
    {
        const string byId = "prot-waad-by-id";
        await fixture.PostAsync("connections", new
        {
            name = byId, strategy = "waad", enabled_clients = new[] { fixture.Trusted.Id },
            options = new { tenantId = DemoDirectory.TenantId, client_id = DemoDirectory.NativeAppId, app_id = DemoDirectory.WebApiAppIdUri },
        });
        const string upn = DemoDirectory.LockoutUser;
        var refused = 0;
        for (var i = 1; i <= 20; i++)
        {
            var connection = i % 2 == 0 ? byId : ProtectionFixture.Waad; // by tenant name, and by tenant id
            var response = await fixture.LoginAsync(connection, upn, $"guess-{i}", $"203.0.113.{i}");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                refused++;
            else
                await HttpAssert.OAuthErrorAsync(response, 403, "invalid_grant");
        }
        Assert.Equal(15, refused);
        Assert.Equal(5, EmulatorCount(upn, AzureWrongPassword));
        Assert.Equal(0, EmulatorCount(upn, AzureLocked));
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Management.DeleteAsync($"user-blocks?identifier={Uri.EscapeDataString(upn)}")).StatusCode);
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync(byId, upn, DemoDirectory.PasswordOf(upn), "203.0.113.99"));
    }

    [Fact]
    public async Task A_spray_from_one_ipv6_64_counts_as_one_address_for_brute_force_and_suspicious_ip_throttling()
    {
        await fixture.AddUserAsync("abuse.v6@example.com");
        await fixture.PatchSettingsAsync("brute-force-protection", new { max_attempts = 3 });
        for (var i = 1; i <= 3; i++)
            await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(ProtectionFixture.Db, "abuse.v6@example.com", "wrong", $"2001:db8:6:4::{i:x}"), 403, "invalid_grant");
        var blocked = await fixture.LoginAsync(ProtectionFixture.Db, "abuse.v6@example.com", ProtectionFixture.Password, "2001:db8:6:4:ffff:ffff:ffff:fffe");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("""{"blocked_for":[{"identifier":"abuse.v6@example.com","ip":"2001:db8:6:4::/64","connection":"prot-db"}]}""",
            (await HttpAssert.OkJsonAsync(await fixture.Management.GetAsync("user-blocks?identifier=abuse.v6%40example.com"))).GetRawText());
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync(ProtectionFixture.Db, "abuse.v6@example.com", ProtectionFixture.Password, "2001:db8:6:5::1"));

        // IPv4-mapped IPv6 is its IPv4 address.
        await fixture.AddUserAsync("abuse.v4@example.com");
        foreach (var ip in new[] { "198.51.100.77", "::ffff:198.51.100.77", "::ffff:c633:644d" })
            await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(ProtectionFixture.Db, "abuse.v4@example.com", "wrong", ip), 403, "invalid_grant");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.LoginAsync(ProtectionFixture.Db, "abuse.v4@example.com", ProtectionFixture.Password, "198.51.100.77")).StatusCode);

        // Suspicious IP throttling: failures across accounts from one /64 share one bucket.
        await fixture.PatchSettingsAsync("suspicious-ip-throttling", new { stage = new Dictionary<string, object> { ["pre-login"] = new { max_attempts = 3, rate = 864000 } } });
        for (var i = 1; i <= 3; i++)
            await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(ProtectionFixture.Db, $"nobody{i}@example.com", "wrong", $"2001:db8:7:7:{i:x}::1"), 403, "invalid_grant");
        var throttled = await fixture.LoginAsync(ProtectionFixture.Db, "abuse.v6@example.com", ProtectionFixture.Password, "2001:db8:7:7:abcd::2");
        await HttpAssert.OAuthErrorAsync(throttled, 429, "too_many_attempts");
        Assert.True(throttled.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, (await fixture.Management.GetAsync("anomaly/blocks/ips/2001:db8:7:7::42")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Management.DeleteAsync("anomaly/blocks/ips/2001:db8:7:7::42")).StatusCode);
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync(ProtectionFixture.Db, "abuse.v6@example.com", ProtectionFixture.Password, "2001:db8:7:7:abcd::2"));
    }

    [Fact]
    public async Task A_lock_out_attempt_from_abroad_leaves_the_user_signing_in_from_home_and_azure_never_locks()
    {
        const string upn = DemoDirectory.Adele;
        const string home = "192.0.2.80";
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync(ProtectionFixture.Waad, upn, DemoDirectory.PasswordOf(upn), home));

        for (var i = 1; i <= 15; i++)
        {
            var response = await fixture.LoginAsync(ProtectionFixture.Waad, upn, $"guess-{i}", $"203.0.113.{150 + i}");
            if (i <= 5)
                await HttpAssert.OAuthErrorAsync(response, 403, "invalid_grant");
            else
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        // The user, at home, types a wrong password once and then the right one: both reach Azure AD, and they are in.
        await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(ProtectionFixture.Waad, upn, "typo", home), 403, "invalid_grant");
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync(ProtectionFixture.Waad, upn, DemoDirectory.PasswordOf(upn), home));
        // The attacker is still blocked, from any foreign address, right password or not.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.LoginAsync(ProtectionFixture.Waad, upn, "guess-16", "198.51.100.200")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.LoginAsync(ProtectionFixture.Waad, upn, DemoDirectory.PasswordOf(upn), "198.51.100.201")).StatusCode);

        Assert.Equal(6, EmulatorCount(upn, AzureWrongPassword));
        Assert.Equal(0, EmulatorCount(upn, AzureLocked));
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Management.DeleteAsync($"user-blocks?identifier={Uri.EscapeDataString(upn)}")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Core.Logs;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Protection;

/// <summary>Brute-force protection end to end: database and waad users, the ways a block lifts, modes and allowlist.</summary>
public class BruteForceTests(ProtectionFixture fixture) : IClassFixture<ProtectionFixture>, IAsyncLifetime
{
    private const string BlockedDescription =
        "Your account has been blocked after multiple consecutive login attempts. Please try again later or contact the administrator.";

    public Task InitializeAsync() => fixture.ResetSettingsAsync();

    public Task DisposeAsync() => fixture.ResetSettingsAsync();

    private HttpClient Api => fixture.Management;

    private async Task FailAsync(string realm, string username, string ip, int times)
    {
        for (var i = 0; i < times; i++)
            await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(realm, username, "wrong-password", ip), 403, "invalid_grant");
    }

    private static async Task BlockedAsync(HttpResponseMessage response) =>
        await HttpAssert.OAuthErrorAsync(response, 429, "too_many_attempts", BlockedDescription);

    private async Task<JsonElement> BlocksOfAsync(string userId) =>
        await HttpAssert.OkJsonAsync(await Api.GetAsync($"user-blocks/{Uri.EscapeDataString(userId)}"));

    [Fact]
    public async Task A_database_user_is_blocked_at_max_attempts_with_auth0s_answer_and_one_limit_wc_until_an_admin_unblocks()
    {
        var userId = await fixture.AddUserAsync("bf.db@example.com");
        const string ip = "198.51.100.10";
        var logsBefore = (await fixture.LogsAsync(LogTypes.BruteForceBlock)).Count;
        await FailAsync(ProtectionFixture.Db, "bf.db@example.com", ip, 10);

        var blocked = await fixture.LoginAsync(ProtectionFixture.Db, "BF.DB@example.com ", ProtectionFixture.Password, ip);
        await BlockedAsync(blocked);
        Assert.False(blocked.Headers.Contains("Retry-After"));
        await BlockedAsync(await fixture.LoginAsync(ProtectionFixture.Db, "bf.db@example.com", "wrong-password", ip));
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "bf.db@example.com", ProtectionFixture.Password, "198.51.100.11")).StatusCode);

        var trips = (await fixture.LogsAsync(LogTypes.BruteForceBlock)).Where(l => l.UserName == "bf.db@example.com").ToList();
        Assert.Equal(logsBefore + 1, (await fixture.LogsAsync(LogTypes.BruteForceBlock)).Count);
        var trip = Assert.Single(trips);
        Assert.Equal((ip, "127.0.0.1", ProtectionFixture.Db), (trip.Ip, trip.ClientIp, trip.ConnectionName));

        var blocks = await BlocksOfAsync(userId);
        Assert.Equal("""{"blocked_for":[{"identifier":"bf.db@example.com","ip":"198.51.100.10","connection":"prot-db"}]}""", blocks.GetRawText());
        Assert.Equal(blocks.GetRawText(), (await HttpAssert.OkJsonAsync(await Api.GetAsync("user-blocks?identifier=Bf.Db%40example.com"))).GetRawText());

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"user-blocks/{Uri.EscapeDataString(userId)}")).StatusCode);
        Assert.Equal("""{"blocked_for":[]}""", (await BlocksOfAsync(userId)).GetRawText());
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "bf.db@example.com", ProtectionFixture.Password, ip)).StatusCode);
        Assert.Contains(await fixture.LogsAsync(LogTypes.ManagementApiWrite), l => l.Details!.Value.GetProperty("request").GetProperty("path").GetString() == "/api/v2/user-blocks/" + userId);
    }

    [Fact]
    public async Task A_block_lifts_by_identifier_by_raising_the_threshold_and_by_a_password_change()
    {
        var userId = await fixture.AddUserAsync("bf.lift@example.com");
        const string ip = "198.51.100.20";
        await fixture.PatchSettingsAsync("brute-force-protection", new { max_attempts = 3 });
        await FailAsync(ProtectionFixture.Db, "bf.lift@example.com", ip, 3);
        await BlockedAsync(await fixture.LoginAsync(ProtectionFixture.Db, "bf.lift@example.com", ProtectionFixture.Password, ip));

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync("user-blocks?identifier=bf.lift%40example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "bf.lift@example.com", ProtectionFixture.Password, ip)).StatusCode);

        await FailAsync(ProtectionFixture.Db, "bf.lift@example.com", ip, 3);
        await BlockedAsync(await fixture.LoginAsync(ProtectionFixture.Db, "bf.lift@example.com", ProtectionFixture.Password, ip));
        await fixture.PatchSettingsAsync("brute-force-protection", new { max_attempts = 5 });
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "bf.lift@example.com", ProtectionFixture.Password, ip)).StatusCode);

        await FailAsync(ProtectionFixture.Db, "bf.lift@example.com", ip, 5);
        await BlockedAsync(await fixture.LoginAsync(ProtectionFixture.Db, "bf.lift@example.com", ProtectionFixture.Password, ip));
        await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"users/{Uri.EscapeDataString(userId)}", new { password = "N3w-Passw0rd!xyz" }));
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "bf.lift@example.com", "N3w-Passw0rd!xyz", ip)).StatusCode);
    }

    [Fact]
    public async Task Per_identifier_mode_counts_every_ip_and_allowlisted_ips_are_not_counted()
    {
        await fixture.AddUserAsync("bf.mode@example.com");
        await fixture.PatchSettingsAsync("brute-force-protection", new { max_attempts = 3, allowlist = new[] { "192.0.2.0/24" } });
        await FailAsync(ProtectionFixture.Db, "bf.mode@example.com", "192.0.2.7", 5); // allowlisted: not counted
        await FailAsync(ProtectionFixture.Db, "bf.mode@example.com", "203.0.113.1", 1);
        await FailAsync(ProtectionFixture.Db, "bf.mode@example.com", "203.0.113.2", 2);
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "bf.mode@example.com", ProtectionFixture.Password, "203.0.113.3")).StatusCode);

        await fixture.PatchSettingsAsync("brute-force-protection", new { mode = "count_per_identifier" });
        await FailAsync(ProtectionFixture.Db, "bf.mode@example.com", "203.0.113.1", 1);
        await FailAsync(ProtectionFixture.Db, "bf.mode@example.com", "203.0.113.2", 2);
        await BlockedAsync(await fixture.LoginAsync(ProtectionFixture.Db, "bf.mode@example.com", ProtectionFixture.Password, "203.0.113.99"));
        const string block = """{"blocked_for":[{"identifier":"bf.mode@example.com","connection":"prot-db"}]}""";
        Assert.Equal(block, (await HttpAssert.OkJsonAsync(await Api.GetAsync("user-blocks?identifier=bf.mode%40example.com"))).GetRawText());

        // Without the block shield it is counted, not refused; consider_brute_force_enablement then lists nothing.
        await fixture.PatchSettingsAsync("brute-force-protection", new { shields = new[] { "user_notification" } });
        Assert.Equal(block, (await HttpAssert.OkJsonAsync(await Api.GetAsync("user-blocks?identifier=bf.mode%40example.com"))).GetRawText());
        Assert.Equal("""{"blocked_for":[]}""", (await HttpAssert.OkJsonAsync(await Api.GetAsync("user-blocks?identifier=bf.mode%40example.com&consider_brute_force_enablement=true"))).GetRawText());
        await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(ProtectionFixture.Db, "bf.mode@example.com", "wrong-password", "203.0.113.99"), 403, "invalid_grant");

        // An allowlisted address is not refused even while the identifier is blocked elsewhere.
        await fixture.PatchSettingsAsync("brute-force-protection", new { shields = new[] { "block" } });
        await BlockedAsync(await fixture.LoginAsync(ProtectionFixture.Db, "bf.mode@example.com", ProtectionFixture.Password, "203.0.113.99"));
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "bf.mode@example.com", ProtectionFixture.Password, "192.0.2.8")).StatusCode);
    }

    [Fact]
    public async Task A_waad_user_is_blocked_at_max_attempts_without_another_call_to_azure_ad()
    {
        const string upn = DemoDirectory.Adele;
        const string ip = "198.51.100.30";
        await fixture.PatchSettingsAsync("brute-force-protection", new { max_attempts = 3 });
        var before = fixture.Emulator.SignInLog.Entries.Count(e => e.UserPrincipalName == upn);
        await FailAsync(ProtectionFixture.Waad, upn, ip, 3);
        await BlockedAsync(await fixture.LoginAsync(ProtectionFixture.Waad, upn, DemoDirectory.PasswordOf(upn), ip));
        Assert.Equal(before + 3, fixture.Emulator.SignInLog.Entries.Count(e => e.UserPrincipalName == upn));
        var trip = Assert.Single(await fixture.LogsAsync(LogTypes.BruteForceBlock), l => l.UserName == upn);
        Assert.Equal(("waad", ip), (trip.Strategy, trip.Ip));

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"user-blocks?identifier={Uri.EscapeDataString(upn)}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Waad, upn, DemoDirectory.PasswordOf(upn), ip)).StatusCode);
    }

    [Fact]
    public async Task A_spray_from_many_ips_is_stopped_before_azure_ad_locks_the_real_user_out()
    {
        const string upn = DemoDirectory.LockoutUser;
        Assert.True(fixture.Emulator.Directory.Settings.LockoutThreshold > 5, "the guard must trip below Azure AD's smart-lockout threshold");
        for (var i = 1; i <= 15; i++)
        {
            var response = await fixture.LoginAsync(ProtectionFixture.Waad, upn, $"guess-{i}", $"203.0.113.{100 + i}");
            if (i <= 5)
                await HttpAssert.OAuthErrorAsync(response, 403, "invalid_grant");
            else
                await BlockedAsync(response);
        }
        Assert.Equal(5, fixture.Emulator.SignInLog.Entries.Count(e => e.UserPrincipalName == upn && e.ResultCode == 50126));
        var trip = Assert.Single(await fixture.LogsAsync(LogTypes.BruteForceBlock), l => l.UserName == upn);
        Assert.Equal("upstream_lockout_guard", trip.Details!.Value.GetProperty("mode").GetString());

        // The real user, from their own address, is blocked too until an administrator lifts it; Azure AD never locked them.
        await BlockedAsync(await fixture.LoginAsync(ProtectionFixture.Waad, upn, DemoDirectory.PasswordOf(upn), "192.0.2.50"));
        var blocks = await HttpAssert.OkJsonAsync(await Api.GetAsync($"user-blocks?identifier={Uri.EscapeDataString(upn)}"));
        Assert.Equal($$"""{"blocked_for":[{"identifier":"{{upn.ToLowerInvariant()}}","connection":"prot-waad"}]}""", blocks.GetRawText());
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"user-blocks?identifier={Uri.EscapeDataString(upn)}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Waad, upn, DemoDirectory.PasswordOf(upn), "192.0.2.50")).StatusCode);
    }

    [Fact]
    public async Task Refusals_azure_ad_does_not_count_do_not_feed_the_upstream_guard_but_count_as_failed_attempts()
    {
        const string upn = DemoDirectory.MfaUser; // right password, MFA required: a refusal, not a wrong password
        for (var i = 0; i < 7; i++)
            await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(ProtectionFixture.Waad, upn, DemoDirectory.PasswordOf(upn), $"203.0.113.{200 + i}"), 403, "mfa_required");
        for (var i = 0; i < 7; i++)
            await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(ProtectionFixture.Waad, "nobody.here@contoso.onmicrosoft.com", "x", $"203.0.113.{210 + i}"), 403, "invalid_grant");
        await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(ProtectionFixture.Waad, upn, DemoDirectory.PasswordOf(upn), "203.0.113.220"), 403, "mfa_required");
        await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(ProtectionFixture.Waad, "nobody.here@contoso.onmicrosoft.com", "x", "203.0.113.221"), 403, "invalid_grant");

        // They still count as failed attempts per identifier and IP: mfa_required would otherwise confirm guesses forever.
        await fixture.PatchSettingsAsync("brute-force-protection", new { max_attempts = 3 });
        for (var i = 0; i < 2; i++)
            await HttpAssert.OAuthErrorAsync(await fixture.LoginAsync(ProtectionFixture.Waad, upn, DemoDirectory.PasswordOf(upn), "203.0.113.220"), 403, "mfa_required");
        await BlockedAsync(await fixture.LoginAsync(ProtectionFixture.Waad, upn, DemoDirectory.PasswordOf(upn), "203.0.113.220"));
    }
}

using Gatehouse.AzureAd.Emulator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>Configurable check order, error-value switches, smart lockout and clock-driven behaviour.</summary>
public sealed class PrecedenceAndLockoutTests
{
    private static async Task<(AzureAdEmulator Emulator, StsClient Sts)> StartAsync(FakeTimeProvider? time = null)
    {
        var emulator = await AzureAdEmulator.StartAsync(new EmulatorOptions { Https = false, TimeProvider = time });
        return (emulator, new StsClient(emulator));
    }

    [Fact]
    public async Task The_check_order_is_configurable()
    {
        var (emulator, sts) = await StartAsync();
        await using var _ = emulator;
        using var __ = sts;

        var byDefault = await sts.PasswordV1Async(DemoDirectory.DisabledUser, "https://graph.microsoft.com", password: "wrong");
        Assert.Equal(50126, byDefault.ErrorCode);

        var order = EmulatorSettings.DefaultCheckOrder.Where(c => c != SignInCheck.Disabled).ToList();
        order.Insert(order.IndexOf(SignInCheck.Password), SignInCheck.Disabled);
        emulator.Directory.UpdateSettings(s => s with { CheckOrder = order });

        var reordered = await sts.PasswordV1Async(DemoDirectory.DisabledUser, "https://graph.microsoft.com", password: "wrong");
        Assert.Equal(50057, reordered.ErrorCode);
    }

    [Fact]
    public async Task Mfa_error_value_and_description_separator_are_switches()
    {
        var (emulator, sts) = await StartAsync();
        await using var _ = emulator;
        using var __ = sts;
        emulator.Directory.UpdateSettings(s => s with { MfaError = "interaction_required", DescriptionSeparator = "space" });

        var reply = await sts.PasswordV2Async(DemoDirectory.MfaUser, "https://graph.microsoft.com/User.Read");

        Assert.Equal("interaction_required", reply.Error);
        Assert.Contains(" Trace ID: ", reply.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\r\n", reply.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smart_lockout_locks_after_the_threshold_for_the_duration()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (emulator, sts) = await StartAsync(time);
        await using var _ = emulator;
        using var __ = sts;
        emulator.Directory.UpdateSettings(s => s with { LockoutThreshold = 3, LockoutDurationSeconds = 60 });
        const string user = DemoDirectory.LockoutUser;

        for (var i = 0; i < 3; i++)
            Assert.Equal(50126, (await sts.PasswordV1Async(user, "https://graph.microsoft.com", password: "wrong")).ErrorCode);
        Assert.Equal(50053, (await sts.PasswordV1Async(user, "https://graph.microsoft.com")).ErrorCode);

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(200, (int)(await sts.PasswordV1Async(user, "https://graph.microsoft.com")).Status);
    }

    [Fact]
    public async Task Lockout_can_be_reset_through_the_admin_api()
    {
        var (emulator, sts) = await StartAsync();
        await using var _ = emulator;
        using var __ = sts;

        var reset = await sts.PostJsonAsync($"_emulator/users/{DemoDirectory.LockedUser}/reset-lockout", "");
        var reply = await sts.PasswordV1Async(DemoDirectory.LockedUser, "https://graph.microsoft.com");

        Assert.Equal(204, (int)reset.Status);
        Assert.Equal(200, (int)reply.Status);
    }

    [Fact]
    public async Task Reused_tokens_are_renewed_near_expiry_and_expires_in_counts_down()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (emulator, sts) = await StartAsync(time);
        await using var _ = emulator;
        using var __ = sts;

        var first = await sts.PasswordV2Async(DemoDirectory.Adele, "https://graph.microsoft.com/User.Read");
        time.Advance(TimeSpan.FromMinutes(10));
        var second = await sts.PasswordV2Async(DemoDirectory.Adele, "https://graph.microsoft.com/User.Read");
        time.Advance(TimeSpan.FromMinutes(60));
        var third = await sts.PasswordV2Async(DemoDirectory.Adele, "https://graph.microsoft.com/User.Read");

        Assert.Equal(first.Json.GetProperty("access_token").GetString(), second.Json.GetProperty("access_token").GetString());
        Assert.Equal(first.Json.GetProperty("expires_in").GetInt64() - 600, second.Json.GetProperty("expires_in").GetInt64());
        Assert.NotEqual(first.Json.GetProperty("access_token").GetString(), third.Json.GetProperty("access_token").GetString());
    }

    [Fact]
    public async Task An_expired_refresh_token_is_refused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (emulator, sts) = await StartAsync(time);
        await using var _ = emulator;
        using var __ = sts;
        var login = await sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com");

        time.Advance(TimeSpan.FromDays(91));
        var reply = await sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/token",
            [("grant_type", "refresh_token"), ("client_id", DemoDirectory.NativeAppId), ("refresh_token", login.Json.GetProperty("refresh_token").GetString()!)]);

        Assert.Equal("invalid_grant", reply.Error);
        Assert.Equal(700082, reply.ErrorCode); // Entra's current code for an inactive refresh token (was 70008)
        Assert.Equal("bad_token", reply.Json.GetProperty("suberror").GetString());
    }
}

using Gatehouse.AzureAd.Emulator.Tests.Support;
using Microsoft.Identity.Client;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>MSAL.NET's AcquireTokenWithDeviceCode as the judge of the emulator's device code flow.</summary>
public sealed class MsalDeviceCodeTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string[] GraphUserRead = ["https://graph.microsoft.com/User.Read"];

    private IPublicClientApplication App() =>
        PublicClientApplicationBuilder.Create(DemoDirectory.NativeAppId)
            .WithAuthority($"{fixture.Emulator.BaseUrl}{DemoDirectory.TenantDomain}/")
            .WithInstanceDiscovery(false) // no traffic may leave loopback
            .WithHttpClientFactory(new TrustingMsalHttpClientFactory(fixture.Emulator))
            .Build();

    /// <summary>The callback does what the user does on another device: devicelogin, password, MFA code.</summary>
    private Func<DeviceCodeResult, Task> SignInOnAnotherDevice(string user, List<DeviceCodeResult> seen) => async result =>
    {
        seen.Add(result);
        using var browser = new Browser(fixture.Emulator);
        var answer = await browser.SignInAsync(await browser.DeviceLoginAsync(result.UserCode), user);
        if (answer.Body.Contains("id=\"mfaForm\"", StringComparison.Ordinal))
        {
            var code = (await fixture.Sts.GetAsync($"_emulator/mfa-codes/{user}")).Json.GetProperty("code").GetString()!;
            answer = await browser.SubmitAsync(answer, ("otc", code), ("action", "verify"));
        }
        Assert.Contains("id=\"deviceSignedIn\"", answer.Body, StringComparison.Ordinal);
    };

    [Fact]
    public async Task Msal_gets_tokens_for_an_mfa_user_who_signs_in_on_devicelogin()
    {
        var seen = new List<DeviceCodeResult>();

        var result = await App().AcquireTokenWithDeviceCode(GraphUserRead, SignInOnAnotherDevice(DemoDirectory.MfaUser, seen)).ExecuteAsync();

        var device = Assert.Single(seen);
        Assert.Equal($"{fixture.Emulator.BaseUrl}devicelogin", device.VerificationUrl);
        Assert.Matches("^[A-Z0-9]{9}$", device.UserCode);
        Assert.Contains(device.UserCode, device.Message, StringComparison.Ordinal);
        Assert.Equal(5, device.Interval);
        Assert.Equal(DemoDirectory.MfaUser, result.Account.Username);
        Assert.Equal(DemoDirectory.TenantId, result.TenantId);
        Assert.Contains("mfa", JwtParts.Decode(result.AccessToken).Payload.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Msal_refreshes_silently_until_the_users_sessions_are_revoked()
    {
        var app = App();
        var result = await app.AcquireTokenWithDeviceCode(GraphUserRead, SignInOnAnotherDevice(DemoDirectory.Megan, [])).ExecuteAsync();
        var refreshed = await app.AcquireTokenSilent(GraphUserRead, result.Account).WithForceRefresh(true).ExecuteAsync();
        Assert.Equal(DemoDirectory.Megan, refreshed.Account.Username);

        var revoke = await fixture.Sts.PostFormAsync($"_emulator/users/{DemoDirectory.Megan}/revoke-sessions", []);
        var e = await Assert.ThrowsAsync<MsalUiRequiredException>(() =>
            app.AcquireTokenSilent(GraphUserRead, result.Account).WithForceRefresh(true).ExecuteAsync());

        Assert.True(revoke.Json.GetProperty("value").GetBoolean());
        Assert.Equal("invalid_grant", e.ErrorCode);
        Assert.Contains("AADSTS50173", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Msal_reports_a_cancelled_device_sign_in_as_authorization_declined()
    {
        var e = await Assert.ThrowsAsync<MsalServiceException>(() => App().AcquireTokenWithDeviceCode(GraphUserRead, async result =>
        {
            using var browser = new Browser(fixture.Emulator);
            var confirm = await browser.SubmitAsync(await browser.GetAsync("devicelogin"), ("otc", result.UserCode));
            await browser.SubmitAsync(confirm, ("action", "cancel"));
        }).ExecuteAsync());

        Assert.Equal("authorization_declined", e.ErrorCode);
    }
}

using System.Net;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.BrowserSignIn;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Server.Tests.Login;

namespace Gatehouse.Server.Tests.DeviceFlow;

/// <summary>
/// The emulator's MFA user through the device flow, both ways (docs/device-flow.md): Gatehouse's /activate with Azure's
/// browser sign-in (its MFA page), and Azure's own device code through the broker (its /devicelogin page, the MFA code
/// from the emulator's admin API). Each ends in Gatehouse tokens for the same Azure account.
/// </summary>
public sealed class WaadDeviceFlowTests(WaadDeviceFixture device) : IClassFixture<WaadDeviceFixture>
{
    private const string MfaUser = DemoDirectory.MfaUser;

    [Fact]
    public async Task Mfa_user_activates_through_azures_browser_sign_in()
    {
        var start = await HttpAssert.OkJsonAsync(await device.StartAsync(WaadBrowserFixture.V2Connection));
        var deviceCode = start.GetProperty("device_code").GetString()!;
        using var browser = device.World.NewBrowser();

        var toAzure = await DeviceWorld.ConfirmToProviderAsync(browser.Gatehouse, start.GetProperty("user_code").GetString()!);
        var page = await browser.SignInAtAzureAsync(await browser.OpenAsync(toAzure), MfaUser);
        Assert.Contains("id=\"mfaForm\"", page.Body, StringComparison.Ordinal);
        page = await browser.PassMfaAsync(page, MfaUser);
        var done = await browser.ReturnToGatehouseAsync(page);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Device connected", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tokens = await HttpAssert.OkJsonAsync(await device.PollAsync(deviceCode));
        Assert.True(tokens.TryGetProperty("refresh_token", out _));
        var users = await device.World.UsersOfAsync(WaadBrowserFixture.V2Connection);
        Assert.Contains(users, u => u.UserId == WaadBrowserFixture.SubjectOf(tokens) && u.Email == MfaUser);
    }

    [Fact]
    public async Task Mfa_user_signs_in_at_azures_devicelogin_through_the_broker()
    {
        var start = await HttpAssert.OkJsonAsync(await device.StartAsync(WaadDeviceFixture.BrokerConnection));
        var deviceCode = start.GetProperty("device_code").GetString()!;
        var userCode = start.GetProperty("user_code").GetString()!;
        Assert.Equal(device.World.Emulator.BaseUrl + "devicelogin", start.GetProperty("verification_uri").GetString());
        Assert.False(start.TryGetProperty("verification_uri_complete", out _), "Azure's page takes no code in its URL");
        Assert.Equal(5, start.GetProperty("interval").GetInt32());
        Assert.Matches("^[A-Z2-9]{9}$", userCode);

        await HttpAssert.OAuthErrorAsync(await device.PollAsync(deviceCode), 403, "authorization_pending");

        using var browser = device.World.NewBrowser();
        var page = await browser.OpenAsync(new Uri(start.GetProperty("verification_uri").GetString()!));
        Assert.Contains("id=\"deviceCodeForm\"", page.Body, StringComparison.Ordinal);
        page = await browser.SubmitAsync(page, ("otc", userCode), ("action", "next"));
        Assert.Contains("id=\"deviceConfirmForm\"", page.Body, StringComparison.Ordinal);
        page = await browser.SubmitAsync(page, ("action", "continue"));
        page = await browser.SignInAtAzureAsync(page, MfaUser);
        Assert.Contains("id=\"mfaForm\"", page.Body, StringComparison.Ordinal);
        page = await browser.SubmitAsync(page, ("otc", await device.MfaCodeAsync(MfaUser)), ("action", "verify"));
        Assert.Contains("id=\"deviceSignedIn\"", page.Body, StringComparison.Ordinal);

        // Sooner than the interval the app hears slow_down from Gatehouse, and Azure is not asked.
        await HttpAssert.OAuthErrorAsync(await device.PollAsync(deviceCode), 429, "slow_down");
        device.Clock.Advance(TimeSpan.FromSeconds(5));
        var tokens = await HttpAssert.OkJsonAsync(await device.PollAsync(deviceCode));
        var users = await device.World.UsersOfAsync(WaadDeviceFixture.BrokerConnection);
        Assert.Contains(users, u => u.UserId == WaadBrowserFixture.SubjectOf(tokens) && u.Email == MfaUser);

        device.Clock.Advance(TimeSpan.FromSeconds(5));
        await HttpAssert.OAuthErrorAsync(await device.PollAsync(deviceCode), 403, "invalid_grant");
        Assert.NotEmpty(await device.Tenant.LogsOfTypeAsync("sede"));
    }

    [Fact]
    public async Task Cancel_at_azures_confirm_page_is_access_denied()
    {
        var start = await HttpAssert.OkJsonAsync(await device.StartAsync(WaadDeviceFixture.BrokerConnection));
        var deviceCode = start.GetProperty("device_code").GetString()!;
        using var browser = device.World.NewBrowser();
        var page = await browser.OpenAsync(new Uri(start.GetProperty("verification_uri").GetString()!));
        page = await browser.SubmitAsync(page, ("otc", start.GetProperty("user_code").GetString()!), ("action", "next"));
        await browser.SubmitAsync(page, ("action", "cancel"));

        await HttpAssert.OAuthErrorAsync(await device.PollAsync(deviceCode), 403, "access_denied");
        device.Clock.Advance(TimeSpan.FromSeconds(5));
        await HttpAssert.OAuthErrorAsync(await device.PollAsync(deviceCode), 403, "access_denied");
    }

    [Fact]
    public async Task A_brokered_code_expires_with_azures()
    {
        var start = await HttpAssert.OkJsonAsync(await device.StartAsync(WaadDeviceFixture.BrokerConnection));
        var deviceCode = start.GetProperty("device_code").GetString()!;
        device.Clock.Advance(TimeSpan.FromSeconds(900));
        await HttpAssert.OAuthErrorAsync(await device.PollAsync(deviceCode), 403, "expired_token");
        device.Clock.Advance(TimeSpan.FromSeconds(5));
        await HttpAssert.OAuthErrorAsync(await device.PollAsync(deviceCode), 403, "invalid_grant");
    }

    [Fact]
    public async Task The_brokers_user_code_is_not_accepted_on_gatehouses_activate_page()
    {
        var start = await HttpAssert.OkJsonAsync(await device.StartAsync(WaadDeviceFixture.BrokerConnection));
        using var browser = device.World.NewBrowser();
        var visit = await DeviceWorld.OpenActivationAsync(browser.Gatehouse);
        var (_, html) = await DeviceWorld.PageAsync(browser.Gatehouse, visit);
        var typed = await DeviceWorld.PostAsync(browser.Gatehouse, visit, Browser.CsrfToken(html), ("action", "code"), ("user_code", start.GetProperty("user_code").GetString()!));
        Assert.Equal(HttpStatusCode.BadRequest, typed.StatusCode);
    }
}

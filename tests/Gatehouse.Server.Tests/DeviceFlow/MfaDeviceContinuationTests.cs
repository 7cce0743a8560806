using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Grants;
using Gatehouse.Server.Tests.BrowserSignIn;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.DeviceFlow;

/// <summary>
/// The password grant's mfa_required continued on another device (docs/errors.md, "Continuing after mfa_required"):
/// the refusal's mfa_token, <c>POST /mfa/continue</c> with <c>continue_with=device</c>, then Gatehouse's /activate (with
/// Azure's browser sign-in and MFA) or, for a connection that brokers it, Azure's own devicelogin page. Only the account
/// the password grant tried gets tokens.
/// </summary>
public sealed class MfaDeviceContinuationTests(WaadDeviceFixture device) : IClassFixture<WaadDeviceFixture>, IAsyncLifetime
{
    private const string PasswordRealm = "http://auth0.com/oauth/grant-type/password-realm";

    public async Task InitializeAsync()
    {
        // The TV app also signs users in by password: the app that meets mfa_required and continues it on a device.
        (await device.Tenant.Management.PatchAsJsonAsync($"clients/{device.ClientId}",
            new { grant_types = new[] { DeviceWorld.DeviceGrant, "refresh_token", PasswordRealm } })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_demos_mfa_user_refused_by_the_password_grant_gets_tokens_through_activate_from_the_mfa_token()
    {
        var start = await ContinueAsync(await MfaTokenAsync(WaadBrowserFixture.V2Connection, DemoDirectory.MfaUser));
        Assert.Equal("device", start.GetProperty("continue_with").GetString());
        Assert.Equal(device.Tenant.Server.Issuer + "activate", start.GetProperty("verification_uri").GetString());
        Assert.Matches(DeviceWorld.UserCodeFormat(), start.GetProperty("user_code").GetString()!);
        var deviceCode = start.GetProperty("device_code").GetString()!;

        using var browser = device.World.NewBrowser();
        var toAzure = await DeviceWorld.ConfirmToProviderAsync(browser.Gatehouse, start.GetProperty("user_code").GetString()!);
        // The connection is pre-set and the username pre-filled: straight to Azure AD with the tried account as login_hint.
        Assert.Contains("login_hint=" + Uri.EscapeDataString(DemoDirectory.MfaUser), toAzure.Query, StringComparison.Ordinal);
        var page = await browser.SignInAtAzureAsync(await browser.OpenAsync(toAzure), DemoDirectory.MfaUser);
        var done = await browser.ReturnToGatehouseAsync(await browser.PassMfaAsync(page, DemoDirectory.MfaUser));
        Assert.Contains("Device connected", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tokens = await HttpAssert.OkJsonAsync(await device.PollAsync(deviceCode));
        Assert.True(tokens.TryGetProperty("refresh_token", out _));
        var users = await device.World.UsersOfAsync(WaadBrowserFixture.V2Connection);
        Assert.Contains(users, u => u.UserId == WaadBrowserFixture.SubjectOf(tokens) && u.Email == DemoDirectory.MfaUser);
    }

    [Fact]
    public async Task The_demos_mfa_user_gets_tokens_through_azures_device_code_brokered_from_the_mfa_token()
    {
        var start = await ContinueAsync(await MfaTokenAsync(WaadDeviceFixture.BrokerConnection, DemoDirectory.MfaUser));
        Assert.Equal(device.World.Emulator.BaseUrl + "devicelogin", start.GetProperty("verification_uri").GetString());
        var deviceCode = start.GetProperty("device_code").GetString()!;

        using var browser = device.World.NewBrowser();
        var page = await AtDeviceLoginAsync(browser, start, DemoDirectory.MfaUser);
        Assert.Contains("id=\"mfaForm\"", page.Body, StringComparison.Ordinal);
        page = await browser.SubmitAsync(page, ("otc", await device.MfaCodeAsync(DemoDirectory.MfaUser)), ("action", "verify"));
        Assert.Contains("id=\"deviceSignedIn\"", page.Body, StringComparison.Ordinal);

        var tokens = await HttpAssert.OkJsonAsync(await device.PollAsync(deviceCode));
        var users = await device.World.UsersOfAsync(WaadDeviceFixture.BrokerConnection);
        Assert.Contains(users, u => u.UserId == WaadBrowserFixture.SubjectOf(tokens) && u.Email == DemoDirectory.MfaUser);
    }

    [Fact]
    public async Task Another_account_approving_the_activate_continuation_is_refused_and_the_device_hears_access_denied()
    {
        var upn = NewMfaUser("6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8301", "mfa.device.other@contoso.onmicrosoft.com");
        var start = await ContinueAsync(await MfaTokenAsync(WaadBrowserFixture.V2Connection, upn));

        using var browser = device.World.NewBrowser();
        var toAzure = await DeviceWorld.ConfirmToProviderAsync(browser.Gatehouse, start.GetProperty("user_code").GetString()!);
        var formPost = await browser.SignInAtAzureAsync(await browser.OpenAsync(toAzure), DemoDirectory.Adele);
        var done = await browser.ReturnToGatehouseAsync(formPost);
        Assert.Contains(Server.Authorization.FederatedLogin.MfaAccountMismatchDescription, await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await HttpAssert.OAuthErrorAsync(await device.PollAsync(start.GetProperty("device_code").GetString()!), 403, "access_denied");
        Assert.Contains("[MfaAccountMismatch]", device.World.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(await device.World.UsersOfAsync(WaadBrowserFixture.V2Connection), u => u.Email == DemoDirectory.Adele);
    }

    [Fact]
    public async Task Another_account_approving_the_brokered_continuation_at_azure_is_refused_with_access_denied()
    {
        var upn = NewMfaUser("6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8302", "mfa.broker.other@contoso.onmicrosoft.com");
        var start = await ContinueAsync(await MfaTokenAsync(WaadDeviceFixture.BrokerConnection, upn));
        var deviceCode = start.GetProperty("device_code").GetString()!;

        using var browser = device.World.NewBrowser();
        var page = await AtDeviceLoginAsync(browser, start, DemoDirectory.Adele);
        Assert.Contains("id=\"deviceSignedIn\"", page.Body, StringComparison.Ordinal);

        await HttpAssert.OAuthErrorAsync(await device.PollAsync(deviceCode), 403, "access_denied", DeviceCodeGrantHandler.MfaAccountMismatchDescription);
        Assert.Contains("[MfaAccountMismatch]", device.World.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(await device.World.UsersOfAsync(WaadDeviceFixture.BrokerConnection), u => u.Email == DemoDirectory.Adele);
        device.Clock.Advance(TimeSpan.FromSeconds(5));
        await HttpAssert.OAuthErrorAsync(await device.PollAsync(deviceCode), 403, "access_denied");
        Assert.NotEmpty(await device.Tenant.LogsOfTypeAsync("fede"));
    }

    [Fact]
    public async Task An_mfa_token_is_single_use_and_bound_to_its_client()
    {
        var token = await MfaTokenAsync(WaadBrowserFixture.V2Connection, DemoDirectory.MfaUser);
        var other = (await device.Tenant.PostAsync("clients", new
        {
            name = "Other TV", app_type = "native", token_endpoint_auth_method = "none", grant_types = new[] { DeviceWorld.DeviceGrant },
        })).GetProperty("client_id").GetString()!;

        await HttpAssert.OAuthErrorAsync(await PostContinueAsync(token, other), 403, "invalid_grant", "The mfa_token was issued to another application.");
        // Refused for another client is spent all the same: the app it was issued to cannot use it either.
        await HttpAssert.OAuthErrorAsync(await PostContinueAsync(token, device.ClientId), 403, "invalid_grant", "Malformed mfa_token");

        var fresh = await MfaTokenAsync(WaadBrowserFixture.V2Connection, DemoDirectory.MfaUser);
        await ContinueAsync(fresh);
        await HttpAssert.OAuthErrorAsync(await PostContinueAsync(fresh, device.ClientId), 403, "invalid_grant", "Malformed mfa_token");
    }

    [Fact]
    public async Task An_expired_mfa_token_starts_no_device_flow()
    {
        var token = await MfaTokenAsync(WaadBrowserFixture.V2Connection, DemoDirectory.MfaUser);
        device.Clock.Advance(MfaTokens.Lifetime + TimeSpan.FromSeconds(1));

        await HttpAssert.OAuthErrorAsync(await PostContinueAsync(token, device.ClientId), 403, "expired_token", "mfa_token is expired");
    }

    [Fact]
    public async Task An_app_without_the_device_grant_is_refused_before_its_mfa_token_is_spent()
    {
        var token = await MfaTokenAsync(WaadBrowserFixture.V2Connection, DemoDirectory.MfaUser);
        (await device.Tenant.Management.PatchAsJsonAsync($"clients/{device.ClientId}",
            new { grant_types = new[] { "refresh_token", PasswordRealm } })).EnsureSuccessStatusCode();
        try
        {
            await HttpAssert.OAuthErrorAsync(await PostContinueAsync(token, device.ClientId), 403, "unauthorized_client");
        }
        finally
        {
            await InitializeAsync();
        }
        await HttpAssert.OkJsonAsync(await PostContinueAsync(token, device.ClientId));
        await HttpAssert.OAuthErrorAsync(await PostContinueAsync("x", device.ClientId, ("continue_with", "fax")), 400, "invalid_request",
            "continue_with must be browser or device.");
    }

    private string NewMfaUser(string id, string upn)
    {
        var mfaUser = device.World.Emulator.Directory.Seed.Users.Single(u => u.UserPrincipalName == DemoDirectory.MfaUser) with
        {
            Id = id, UserPrincipalName = upn, Password = DemoDirectory.PasswordOf(upn), Mail = null,
        };
        device.World.Emulator.Directory.UpsertUser(mfaUser);
        return upn;
    }

    private async Task<string> MfaTokenAsync(string connection, string upn)
    {
        var refusal = await HttpAssert.OAuthErrorAsync(await device.Tenant.TokenAsync(
            ("grant_type", PasswordRealm), ("client_id", device.ClientId), ("realm", connection), ("username", upn),
            ("password", DemoDirectory.PasswordOf(upn)), ("scope", "openid profile email offline_access")), 403, "mfa_required");
        return refusal.GetProperty("mfa_token").GetString()!;
    }

    private async Task<JsonElement> ContinueAsync(string token) => await HttpAssert.OkJsonAsync(await PostContinueAsync(token, device.ClientId));

    private Task<HttpResponseMessage> PostContinueAsync(string token, string clientId, params (string Name, string Value)[] extra)
    {
        var form = new Dictionary<string, string> { ["mfa_token"] = token, ["client_id"] = clientId, ["continue_with"] = "device" };
        foreach (var (name, value) in extra)
            form[name] = value;
        return device.Tenant.Server.Client.PostAsync("mfa/continue", new FormUrlEncodedContent(form));
    }

    /// <summary>Azure's devicelogin page: the code, the confirmation, then the sign-in as <paramref name="upn"/>.</summary>
    private static async Task<AzureBrowser.Page> AtDeviceLoginAsync(AzureBrowser browser, JsonElement start, string upn)
    {
        var page = await browser.OpenAsync(new Uri(start.GetProperty("verification_uri").GetString()!));
        page = await browser.SubmitAsync(page, ("otc", start.GetProperty("user_code").GetString()!), ("action", "next"));
        page = await browser.SubmitAsync(page, ("action", "continue"));
        page = await browser.SignInAtAzureAsync(page, upn);
        return page;
    }
}

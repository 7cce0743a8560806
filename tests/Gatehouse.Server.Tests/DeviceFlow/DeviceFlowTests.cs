using System.Net;
using System.Text.Json;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Security;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Server.Tests.Login;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.DeviceFlow;

/// <summary>Gatehouse's device flow end to end over real HTTP (docs/device-flow.md): a database user on /activate.</summary>
public sealed class DeviceFlowTests
{
    [Fact]
    public async Task Device_code_answer_has_auth0s_six_fields_and_format()
    {
        await using var world = await DeviceWorld.StartAsync();
        var body = await HttpAssert.OkJsonAsync(await world.StartAsync());
        var userCode = body.GetProperty("user_code").GetString()!;
        Assert.Matches(DeviceWorld.UserCodeFormat(), userCode);
        Assert.Equal(world.Tenant.Server.Issuer + "activate", body.GetProperty("verification_uri").GetString());
        Assert.Equal(world.Tenant.Server.Issuer + "activate?user_code=" + userCode, body.GetProperty("verification_uri_complete").GetString());
        Assert.Equal(900, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(5, body.GetProperty("interval").GetInt32());
        Assert.True(body.GetProperty("device_code").GetString()!.Length >= 43);
    }

    [Fact]
    public async Task Database_user_activates_and_the_device_gets_tokens_once()
    {
        await using var world = await DeviceWorld.StartAsync();
        var (deviceCode, userCode) = await world.StartOkAsync();
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 403, "authorization_pending", "User has yet to authorize device code.");

        using var browser = world.Login.NewBrowser();
        var done = await world.ActivateAsDatabaseUserAsync(browser, userCode);
        Assert.Contains("Device connected", done, StringComparison.Ordinal);

        world.WaitInterval();
        var tokens = await HttpAssert.OkJsonAsync(await world.PollAsync(deviceCode));
        Assert.True(tokens.TryGetProperty("refresh_token", out _), "offline_access gives a refresh token");
        var id = DeviceWorld.Payload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal(world.Tenant.UserId, id.GetProperty("sub").GetString());
        Assert.Equal(world.ClientId, id.GetProperty("aud").GetString());
        Assert.True(id.TryGetProperty("sid", out _), "the id_token names the session of the activation");
        var access = DeviceWorld.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Contains(TestTenant.ApiAudience, access.GetProperty("aud").EnumerateArray().Select(a => a.GetString()));

        // The refresh token works like every other grant's.
        await HttpAssert.OkJsonAsync(await world.Tenant.TokenAsync(("grant_type", "refresh_token"), ("client_id", world.ClientId),
            ("refresh_token", tokens.GetProperty("refresh_token").GetString()!)));

        // Replay after success.
        world.WaitInterval();
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 403, "invalid_grant");
        Assert.Single(await world.Tenant.LogsOfTypeAsync("sede"));
        Assert.NotEmpty(await world.Tenant.LogsOfTypeAsync("fede"));
    }

    [Fact]
    public async Task Only_hashes_of_device_codes_are_kept()
    {
        await using var world = await DeviceWorld.StartAsync();
        var (deviceCode, _) = await world.StartOkAsync();
        var store = world.Tenant.Server.Services.GetRequiredService<IDeviceAuthorizationStore>();
        Assert.Null(await store.FindAsync(deviceCode, default));
        Assert.NotNull(await store.FindAsync(Secrets.HashToken(deviceCode), default));
    }

    [Fact]
    public async Task Discovery_lists_the_device_authorization_endpoint_and_grant()
    {
        await using var world = await DeviceWorld.StartAsync();
        var discovery = await HttpAssert.OkJsonAsync(await world.Tenant.Server.Client.GetAsync(".well-known/openid-configuration"));
        Assert.Equal(world.Tenant.Server.Issuer + "oauth/device/code", discovery.GetProperty("device_authorization_endpoint").GetString());
        Assert.Contains(DeviceWorld.DeviceGrant, discovery.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Activation_pages_are_unframable_scriptless_and_name_the_application()
    {
        await using var world = await DeviceWorld.StartAsync();
        var (_, userCode) = await world.StartOkAsync();
        using var browser = world.Login.NewBrowser();
        var visit = await DeviceWorld.OpenActivationAsync(browser.Http, userCode);
        var (page, html) = await DeviceWorld.PageAsync(browser.Http, visit);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(userCode, html, StringComparison.Ordinal); // verification_uri_complete pre-fills the code
        var confirm = await DeviceWorld.PostAsync(browser.Http, visit, Browser.CsrfToken(html), ("action", "code"), ("user_code", userCode.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal)));
        var confirmHtml = await confirm.Content.ReadAsStringAsync();
        foreach (var (response, body) in new[] { (page, html), (confirm, confirmHtml) })
        {
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("script", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
            Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
            Assert.Contains("<html lang=\"en\">", body, StringComparison.Ordinal);
        }
        Assert.Contains("<label for=\"user_code\">", html, StringComparison.Ordinal);
        Assert.Contains(DeviceWorld.AppName, confirmHtml, StringComparison.Ordinal);
        Assert.Contains(userCode, confirmHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"cancel\"", confirmHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_hint_and_connection_come_from_the_start()
    {
        await using var world = await DeviceWorld.StartAsync();
        var devices = world.Tenant.Server.Services.GetRequiredService<DeviceAuthorizations>();
        var config = world.Tenant.Server.Services.GetRequiredService<Gatehouse.Core.Storage.ConfigCache>();
        var client = (await config.GetClientAsync(world.ClientId, CancellationToken.None))!;
        var connection = await config.GetConnectionByNameAsync(TestTenant.Connection, CancellationToken.None);
        var start = await devices.StartAsync(client, connection, TestTenant.UserEmail, "openid", null,
            new Gatehouse.Core.Connections.LoginContext(client.ClientId, null, null, "t"), CancellationToken.None);
        Assert.Null(start.Error);
        using var browser = world.Login.NewBrowser();
        var toLogin = await DeviceWorld.ConfirmAsync(browser.Http, start.Response!.UserCode);
        var state = Uri.UnescapeDataString(toLogin.Headers.Location!.OriginalString["/u/login?state=".Length..]);
        var (_, html) = await browser.OpenLoginAsync(state);
        Assert.Contains($"value=\"{TestTenant.UserEmail}\"", html, StringComparison.Ordinal);
    }
}

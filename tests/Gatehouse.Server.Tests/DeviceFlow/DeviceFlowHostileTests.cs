using System.Net;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Server.Tests.Login;

namespace Gatehouse.Server.Tests.DeviceFlow;

/// <summary>
/// The device flow under attack: guessed user codes, polling too fast, replayed and stolen device codes, expiry (a fake
/// clock, no sleeps), cancellation, forged forms, clients without the grant. Each changes nothing it should not.
/// </summary>
public sealed class DeviceFlowHostileTests
{
    [Fact]
    public async Task Guessing_user_codes_is_capped_per_visit_and_the_real_code_then_needs_a_new_visit()
    {
        await using var world = await DeviceWorld.StartAsync();
        var (deviceCode, userCode) = await world.StartOkAsync();
        using var browser = world.Login.NewBrowser();
        var visit = await DeviceWorld.OpenActivationAsync(browser.Http);
        var (_, html) = await DeviceWorld.PageAsync(browser.Http, visit);
        var csrf = Browser.CsrfToken(html);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await DeviceWorld.PostAsync(browser.Http, visit, csrf, ("action", "code"), ("user_code", "BBBB-BBB" + "CDFGH"[i]));
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("not valid", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var capped = await DeviceWorld.PostAsync(browser.Http, visit, csrf, ("action", "code"), ("user_code", userCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, capped.StatusCode);
        var closed = await DeviceWorld.PostAsync(browser.Http, visit, csrf, ("action", "code"), ("user_code", userCode));
        Assert.Contains("expired", await closed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(5, (await world.Tenant.LogsOfTypeAsync("fdeac")).Count(l => l.Details?.ToString()?.Contains("invalid_user_code", StringComparison.Ordinal) == true));

        // Nothing was approved by the guessing; the device is still pending.
        world.WaitInterval();
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 403, "authorization_pending");
    }

    [Fact]
    public async Task Activation_posts_are_rate_limited_per_ip()
    {
        await using var world = await DeviceWorld.StartAsync(c =>
        {
            c["RateLimits:DeviceActivation:Limit"] = "3";
            c["RateLimits:DeviceActivation:PerSecond"] = "0.001";
        });
        using var browser = world.Login.NewBrowser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            // A fresh visit each time: the per-visit cap is not what stops this.
            var visit = await DeviceWorld.OpenActivationAsync(browser.Http);
            var (_, html) = await DeviceWorld.PageAsync(browser.Http, visit);
            statuses.Add((await DeviceWorld.PostAsync(browser.Http, visit, Browser.CsrfToken(html), ("action", "code"), ("user_code", "BBBB-BBBB"))).StatusCode);
        }
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Polling_faster_than_the_interval_is_slow_down_and_the_interval_counts_from_the_last_poll()
    {
        await using var world = await DeviceWorld.StartAsync();
        var (deviceCode, _) = await world.StartOkAsync();
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 403, "authorization_pending");
        world.Clock.Advance(TimeSpan.FromSeconds(4));
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 429, "slow_down", "You are polling faster than the specified interval of 5 seconds.");
        world.Clock.Advance(TimeSpan.FromSeconds(4));
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 429, "slow_down");
        world.WaitInterval();
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 403, "authorization_pending");
    }

    [Fact]
    public async Task Another_clients_device_code_is_invalid_grant_and_stays_usable_by_its_own_client()
    {
        await using var world = await DeviceWorld.StartAsync();
        var (deviceCode, userCode) = await world.StartOkAsync();
        using var browser = world.Login.NewBrowser();
        await world.ActivateAsDatabaseUserAsync(browser, userCode);
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode, world.OtherClientId), 403, "invalid_grant");
        await HttpAssert.OkJsonAsync(await world.PollAsync(deviceCode));
    }

    [Fact]
    public async Task An_expired_code_answers_expired_token_once_then_invalid_grant_and_cannot_be_activated()
    {
        await using var world = await DeviceWorld.StartAsync();
        var (deviceCode, userCode) = await world.StartOkAsync();
        world.Clock.Advance(TimeSpan.FromSeconds(900));
        using var browser = world.Login.NewBrowser();
        var visit = await DeviceWorld.OpenActivationAsync(browser.Http);
        var (_, html) = await DeviceWorld.PageAsync(browser.Http, visit);
        var typed = await DeviceWorld.PostAsync(browser.Http, visit, Browser.CsrfToken(html), ("action", "code"), ("user_code", userCode));
        Assert.Equal(HttpStatusCode.BadRequest, typed.StatusCode);

        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 403, "expired_token");
        world.WaitInterval();
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 403, "invalid_grant");
    }

    [Fact]
    public async Task An_approved_code_not_polled_before_its_end_is_expired_token()
    {
        await using var world = await DeviceWorld.StartAsync();
        var (deviceCode, userCode) = await world.StartOkAsync();
        using var browser = world.Login.NewBrowser();
        var toLogin = await DeviceWorld.ConfirmAsync(browser.Http, userCode);
        var state = Uri.UnescapeDataString(toLogin.Headers.Location!.OriginalString["/u/login?state=".Length..]);
        var (_, html) = await browser.OpenLoginAsync(state);
        world.Clock.Advance(TimeSpan.FromSeconds(899));
        var done = await browser.PostLoginAsync(state, Browser.CsrfToken(html), ("username", TestTenant.UserEmail), ("password", TestTenant.UserPassword));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        world.Clock.Advance(TimeSpan.FromSeconds(2));
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 403, "expired_token");
    }

    [Fact]
    public async Task Cancel_denies_the_device_and_logs_fdecc()
    {
        await using var world = await DeviceWorld.StartAsync();
        var (deviceCode, userCode) = await world.StartOkAsync();
        using var browser = world.Login.NewBrowser();
        var visit = await DeviceWorld.OpenActivationAsync(browser.Http);
        var (_, html) = await DeviceWorld.PageAsync(browser.Http, visit);
        var confirm = await DeviceWorld.PostAsync(browser.Http, visit, Browser.CsrfToken(html), ("action", "code"), ("user_code", userCode));
        var confirmHtml = await confirm.Content.ReadAsStringAsync();
        var cancelled = await DeviceWorld.PostAsync(browser.Http, visit, Browser.CsrfToken(confirmHtml), ("action", "cancel"));
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Contains("You cancelled", await cancelled.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 403, "access_denied", "User cancelled the confirmation prompt.");
        Assert.Single(await world.Tenant.LogsOfTypeAsync("fdecc"));

        // The same code cannot be confirmed afterwards, on this visit or a new one.
        var again = await DeviceWorld.PostAsync(browser.Http, visit, Browser.CsrfToken(confirmHtml), ("action", "confirm"));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var fresh = await DeviceWorld.OpenActivationAsync(browser.Http);
        var (_, freshHtml) = await DeviceWorld.PageAsync(browser.Http, fresh);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeviceWorld.PostAsync(browser.Http, fresh, Browser.CsrfToken(freshHtml), ("action", "code"), ("user_code", userCode))).StatusCode);
    }

    [Fact]
    public async Task Confirm_without_a_matched_code_or_with_a_forged_form_does_nothing()
    {
        await using var world = await DeviceWorld.StartAsync();
        var (deviceCode, userCode) = await world.StartOkAsync();
        using var browser = world.Login.NewBrowser();
        var visit = await DeviceWorld.OpenActivationAsync(browser.Http);
        var (_, html) = await DeviceWorld.PageAsync(browser.Http, visit);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeviceWorld.PostAsync(browser.Http, visit, Browser.CsrfToken(html), ("action", "confirm"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await DeviceWorld.PostAsync(browser.Http, visit, null, ("action", "code"), ("user_code", userCode))).StatusCode);
        // Another visit's token does not submit this one.
        var other = await DeviceWorld.OpenActivationAsync(browser.Http);
        var (_, otherHtml) = await DeviceWorld.PageAsync(browser.Http, other);
        Assert.Equal(HttpStatusCode.Forbidden, (await DeviceWorld.PostAsync(browser.Http, visit, Browser.CsrfToken(otherHtml), ("action", "code"), ("user_code", userCode))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeviceWorld.PageAsync(browser.Http, "not-a-visit")).Response.StatusCode);
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(deviceCode), 403, "authorization_pending");
    }

    [Fact]
    public async Task Device_code_requests_that_cannot_start_are_auth0_errors_logged_as_fdeaz()
    {
        await using var world = await DeviceWorld.StartAsync();
        await HttpAssert.OAuthErrorAsync(await world.StartAsync(("client_id", world.Tenant.NativeClientId)), 403, "unauthorized_client",
            "Grant type 'urn:ietf:params:oauth:grant-type:device_code' not allowed for the client.");
        await HttpAssert.OAuthErrorAsync(await world.StartAsync(("client_id", null)), 400, "invalid_request");
        await HttpAssert.OAuthErrorAsync(await world.StartAsync(("client_id", "nope")), 401, "invalid_client");
        await HttpAssert.OAuthErrorAsync(await world.StartAsync(("connection", "missing")), 400, "invalid_request", "the connection was not found");
        await HttpAssert.OAuthErrorAsync(await world.StartAsync(("connection", LoginWorld.RedirectConnection)), 400, "invalid_request", "the connection was disabled");
        await HttpAssert.OAuthErrorAsync(await world.StartAsync(("audience", "https://unknown.example/")), 403, "access_denied");
        Assert.True((await world.Tenant.LogsOfTypeAsync("fdeaz")).Count >= 5);
        // Polling with a made-up or over-long code.
        await HttpAssert.OAuthErrorAsync(await world.PollAsync("made-up"), 403, "invalid_grant");
        await HttpAssert.OAuthErrorAsync(await world.PollAsync(new string('a', 600)), 403, "invalid_grant");
        await HttpAssert.OAuthErrorAsync(await world.Tenant.TokenAsync(("grant_type", DeviceWorld.DeviceGrant), ("client_id", world.ClientId)), 400, "invalid_request",
            "Missing required parameter: device_code");
    }
}

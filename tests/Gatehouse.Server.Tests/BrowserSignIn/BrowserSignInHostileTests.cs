using System.Net;
using Gatehouse.Core.Authorization;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>Issue 17 item 8, the protocol half: each hostile case refused, nothing issued, iss on every answer.</summary>
public sealed class BrowserSignInHostileTests(BrowserTenant tenant) : IClassFixture<BrowserTenant>
{
    [Theory]
    [InlineData("https://app.example/callback/evil")]     // prefix match
    [InlineData("https://app.example/callbackx")]         // suffix
    [InlineData("https://app.example/callbac")]
    [InlineData("https://app.example:8443/callback")]     // another port
    [InlineData("https://app.example:443/callback")]      // the same URL spelled differently is still not the registered string
    [InlineData("https://APP.example/callback")]          // case
    [InlineData("https://app.example/Callback")]
    [InlineData("https://app.example/other")]             // another path
    [InlineData("https://app.example/callback#frag")]     // fragment
    [InlineData("https://app.example/callback?next=https://evil.example")]
    [InlineData("https://evil.example/callback")]
    [InlineData("https://app.example.evil.example/callback")]
    [InlineData("https://app.example@evil.example/callback")]
    [InlineData("http://app.example/callback")]           // downgrade to http
    [InlineData("http://127.0.0.1:7002/cb")]              // a loopback port is matched exactly too
    [InlineData("//evil.example/callback")]
    [InlineData("")]
    public async Task A_redirect_uri_not_registered_gets_an_error_page_and_never_a_redirect(string redirectUri)
    {
        using var browser = tenant.Browser("open-redirect");
        var response = await browser.GetAsync(tenant.AuthorizeUrl(("redirect_uri", redirectUri)));
        await AssertErrorPageAsync(response, redirectUri.Length == 0 ? "redirect_uri" : "Callback URL mismatch.");
        Assert.DoesNotContain("evil.example", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client_id=unknown-client&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&response_type=code", "Unknown client")]
    [InlineData("redirect_uri=https%3A%2F%2Fevil.example%2F&response_type=code", "client_id")]
    [InlineData("client_id={client}&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&redirect_uri=https%3A%2F%2Fevil.example%2F&response_type=code", "must be sent once")]
    public async Task An_unknown_client_or_an_ambiguous_request_gets_an_error_page(string query, string text)
    {
        using var browser = tenant.Browser("bad-client");
        await AssertErrorPageAsync(await browser.GetAsync("authorize?" + query.Replace("{client}", tenant.PublicClientId, StringComparison.Ordinal)), text);
    }

    [Theory]
    [InlineData("plain", "Unsupported code_challenge_method: only S256 is supported.")]
    [InlineData(null, "Unsupported code_challenge_method: only S256 is supported.")] // no method means plain (RFC 7636 §4.3)
    [InlineData("s256", "Unsupported code_challenge_method: only S256 is supported.")]
    public async Task A_pkce_downgrade_is_refused_at_authorize(string? method, string description)
    {
        using var browser = tenant.Browser("downgrade");
        var answer = tenant.AppResponse((await browser.GetAsync(tenant.AuthorizeUrl(("code_challenge_method", method)))).Headers.Location!);
        Assert.Equal("invalid_request", answer["error"]);
        Assert.Equal(description, answer["error_description"]);
    }

    [Fact]
    public async Task A_public_client_without_pkce_is_refused_at_authorize()
    {
        using var browser = tenant.Browser("no-pkce");
        var answer = tenant.AppResponse((await browser.GetAsync(tenant.AuthorizeUrl(("code_challenge", null), ("code_challenge_method", null)))).Headers.Location!);
        Assert.Equal("invalid_request", answer["error"]);
        Assert.StartsWith("Missing required parameter: code_challenge", answer["error_description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_with_a_missing_unknown_or_reused_state_gets_no_code()
    {
        using var browser = tenant.Browser("state-" + Guid.NewGuid());
        await AssertErrorPageAsync(await browser.GetAsync("login/callback?user=eve"), "Invalid state");
        await AssertErrorPageAsync(await browser.GetAsync("login/callback?state=forged-state&user=eve"), "Invalid state");

        var toProvider = await browser.GetAsync(tenant.AuthorizeUrl());
        var state = BrowserTenant.Query(toProvider.Headers.Location!)["state"];
        var first = await browser.GetAsync($"login/callback?state={state}&user=oscar");
        Assert.True(tenant.AppResponse(first.Headers.Location!).ContainsKey("code"));
        await AssertErrorPageAsync(await browser.GetAsync($"login/callback?state={state}&user=eve"), "Invalid state");
        await AssertErrorPageAsync(await browser.PostAsync("login/callback", new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = state, ["user"] = "eve" })), "Invalid state");
        Assert.DoesNotContain(await tenant.Tenant.LogsOfTypeAsync("s"), l => l.UserId == "fake|id-eve");
    }

    [Fact]
    public async Task A_provider_answer_finished_in_another_browser_signs_nobody_in()
    {
        // Login CSRF: the attacker starts a sign-in, signs in at the provider as themself, and sends the callback to
        // the victim. The victim's browser has the state but not the cookie the attacker's browser was given.
        using var attacker = tenant.Browser("csrf-attacker-" + Guid.NewGuid());
        using var victim = tenant.Browser("csrf-victim-" + Guid.NewGuid());
        var toProvider = await attacker.GetAsync(tenant.AuthorizeUrl());
        var binding = toProvider.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gatehouse_fed_", StringComparison.Ordinal));
        Assert.Contains("httponly", binding, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", binding, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/login/callback", binding, StringComparison.OrdinalIgnoreCase);
        var state = BrowserTenant.Query(toProvider.Headers.Location!)["state"];

        await AssertErrorPageAsync(await victim.GetAsync($"login/callback?state={state}&user=mallory"), "Invalid state");
        Assert.DoesNotContain(await tenant.Tenant.LogsOfTypeAsync("s"), l => l.UserId == "fake|id-mallory");
        // The state is spent: the attacker's own browser cannot finish it afterwards either.
        await AssertErrorPageAsync(await attacker.GetAsync($"login/callback?state={state}&user=mallory"), "Invalid state");
    }

    [Fact]
    public async Task A_missing_or_wrong_verifier_fails_and_spends_the_code()
    {
        using var browser = tenant.Browser("verifier-" + Guid.NewGuid());
        var code = tenant.AppResponse(await tenant.SignInAsync(browser, "victor"))["code"];
        await HttpAssert.OAuthErrorAsync(await tenant.ExchangeAsync(code, ("code_verifier", null)), 403, "invalid_grant", "Failed to verify code verifier");
        await HttpAssert.OAuthErrorAsync(await tenant.ExchangeAsync(code), 403, "invalid_grant", "Invalid authorization code");

        var second = tenant.AppResponse(await tenant.SignInAsync(browser, "victor", ("prompt", "login")))["code"];
        await HttpAssert.OAuthErrorAsync(await tenant.ExchangeAsync(second, ("code_verifier", BrowserTenant.Challenge)), 403, "invalid_grant", "Failed to verify code verifier");
        Assert.NotEmpty(await tenant.Tenant.LogsOfTypeAsync("feacft"));
    }

    [Fact]
    public async Task A_verifier_without_a_challenge_is_refused()
    {
        using var browser = tenant.Browser("nochallenge-" + Guid.NewGuid());
        var code = tenant.AppResponse(await tenant.SignInAsync(browser, "wendy", ("client_id", tenant.WebClientId), ("redirect_uri", BrowserTenant.WebCallback),
            ("code_challenge", null), ("code_challenge_method", null)), BrowserTenant.WebCallback)["code"];
        await HttpAssert.OAuthErrorAsync(await tenant.ExchangeAsync(code, ("client_id", tenant.WebClientId), ("client_secret", tenant.WebClientSecret),
            ("redirect_uri", BrowserTenant.WebCallback)), 403, "invalid_grant", "Failed to verify code verifier");
    }

    [Fact]
    public async Task A_replayed_code_is_refused_and_revokes_the_refresh_tokens_it_issued()
    {
        using var browser = tenant.Browser("replay-" + Guid.NewGuid());
        var code = tenant.AppResponse(await tenant.SignInAsync(browser, "rita"))["code"];
        var tokens = await BrowserTenant.TokensAsync(await tenant.ExchangeAsync(code));
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        await HttpAssert.OAuthErrorAsync(await tenant.ExchangeAsync(code), 403, "invalid_grant", "Invalid authorization code");
        await HttpAssert.OAuthErrorAsync(await tenant.Tenant.TokenAsync(("grant_type", "refresh_token"), ("client_id", tenant.PublicClientId), ("refresh_token", refreshToken)),
            403, "invalid_grant", "Unknown or invalid refresh token.");
    }

    [Fact]
    public async Task Concurrent_redemptions_of_one_code_issue_tokens_once()
    {
        using var browser = tenant.Browser("race-" + Guid.NewGuid());
        var code = tenant.AppResponse(await tenant.SignInAsync(browser, "rachel"))["code"];
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => tenant.ExchangeAsync(code)));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Forbidden, a.StatusCode));
    }

    [Fact]
    public async Task A_code_of_another_client_or_another_redirect_uri_is_refused()
    {
        using var browser = tenant.Browser("mixup-" + Guid.NewGuid());
        (string, string?)[] web = [("client_id", tenant.WebClientId), ("redirect_uri", BrowserTenant.WebCallback), ("code_challenge", null), ("code_challenge_method", null)];
        var code = tenant.AppResponse(await tenant.SignInAsync(browser, "carol", web), BrowserTenant.WebCallback)["code"];
        await HttpAssert.OAuthErrorAsync(await tenant.ExchangeAsync(code, ("client_id", tenant.OtherWebClientId), ("client_secret", tenant.OtherWebClientSecret),
            ("redirect_uri", BrowserTenant.WebCallback), ("code_verifier", null)), 403, "invalid_grant", "Invalid authorization code");

        var other = tenant.AppResponse(await tenant.SignInAsync(browser, "carol", [.. web, ("prompt", "login")]), BrowserTenant.WebCallback)["code"];
        await HttpAssert.OAuthErrorAsync(await tenant.ExchangeAsync(other, ("client_id", tenant.WebClientId), ("client_secret", tenant.WebClientSecret),
            ("redirect_uri", BrowserTenant.WebCallback + "/x"), ("code_verifier", null)), 403, "invalid_grant");
        var third = tenant.AppResponse(await tenant.SignInAsync(browser, "carol", [.. web, ("prompt", "login")]), BrowserTenant.WebCallback)["code"];
        await HttpAssert.OAuthErrorAsync(await tenant.ExchangeAsync(third, ("client_id", tenant.WebClientId), ("client_secret", tenant.WebClientSecret),
            ("redirect_uri", null), ("code_verifier", null)), 403, "invalid_grant", "redirect_uri is required if it was included in the authorization request.");
    }

    [Fact]
    public async Task Every_authorization_response_carries_iss_equal_to_the_issuer()
    {
        using var browser = tenant.Browser("iss-" + Guid.NewGuid());
        Assert.Equal(tenant.Server.Issuer, tenant.AppResponse(await tenant.SignInAsync(browser, "isabel"))["iss"]);
        Assert.Equal(tenant.Server.Issuer, tenant.AppResponse((await browser.GetAsync(tenant.AuthorizeUrl(("prompt", "none")))).Headers.Location!)["iss"]);
        using var stranger = tenant.Browser("iss-none-" + Guid.NewGuid());
        Assert.Equal(tenant.Server.Issuer, tenant.AppResponse((await stranger.GetAsync(tenant.AuthorizeUrl(("prompt", "none")))).Headers.Location!)["iss"]);
        Assert.Equal(tenant.Server.Issuer, tenant.AppResponse((await stranger.GetAsync(tenant.AuthorizeUrl(("response_type", "token")))).Headers.Location!)["iss"]);
    }

    [Fact]
    public async Task A_flood_of_authorize_requests_holds_a_bounded_number_of_transactions()
    {
        await using var flooded = await BrowserTenant.StartAsync(config =>
        {
            config["RateLimits:Enabled"] = "false";
            config["Authorization:MaxTransactions"] = "25";
            config["Authorization:MaxFederatedStates"] = "25";
        });
        using var browser = flooded.Browser("flood");
        HttpResponseMessage last = null!;
        for (var i = 0; i < 150; i++)
            last = await browser.GetAsync(flooded.AuthorizeUrl(("connection", i % 2 == 0 ? BrowserTenant.FakeConnection : null)));
        Assert.InRange(flooded.Service<InMemoryLoginTransactionStore>().Count, 1, 25);
        Assert.InRange(flooded.Service<FederatedStates>().Count, 1, 25);

        // The newest sign-in still works: the oldest were dropped, not the newest.
        var state = BrowserTenant.Query((await browser.GetAsync(flooded.AuthorizeUrl())).Headers.Location!)["state"];
        var answer = flooded.AppResponse((await browser.GetAsync($"login/callback?state={state}&user=flo")).Headers.Location!);
        Assert.True(answer.ContainsKey("code"));
        Assert.Equal(HttpStatusCode.Redirect, last.StatusCode);
    }

    private static async Task AssertErrorPageAsync(HttpResponseMessage response, string text)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Oops!, something went wrong", html, StringComparison.Ordinal);
        Assert.Contains(text, html, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", html, StringComparison.Ordinal);
    }
}

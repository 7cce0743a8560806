using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>/authorize → fake provider → /login/callback → code → /oauth/token, over real HTTP (issue 17 items 1, 2).</summary>
public sealed class AuthorizationCodeFlowTests(BrowserTenant tenant) : IClassFixture<BrowserTenant>
{
    [Fact]
    public async Task Discovery_lists_the_authorization_code_flow()
    {
        var discovery = await HttpAssert.OkJsonAsync(await tenant.Server.Client.GetAsync(".well-known/openid-configuration"));
        Assert.Equal(tenant.Server.Issuer + "authorize", discovery.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(["code"], discovery.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["query", "form_post"], discovery.GetProperty("response_modes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("authorization_code", discovery.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.True(discovery.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        Assert.Contains("none", discovery.GetProperty("prompt_values_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_browser_login_gets_a_code_and_the_code_gets_tokens_with_nonce_auth_time_and_sid()
    {
        using var browser = tenant.Browser("flow-" + Guid.NewGuid());
        var answer = tenant.AppResponse(await tenant.SignInAsync(browser, "ada"));
        Assert.Equal("app-state-1", answer["state"]);
        Assert.Equal(43, answer["code"].Length);

        var tokens = await BrowserTenant.TokensAsync(await tenant.ExchangeAsync(answer["code"]));
        Assert.Equal("no-store", (await tenant.ExchangeAsync("x")).Headers.CacheControl?.ToString());
        var idToken = BrowserTenant.Payload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal("n-0S6_WzA2Mj", idToken.GetProperty("nonce").GetString());
        Assert.Equal("fake|id-ada", idToken.GetProperty("sub").GetString());
        Assert.Equal(tenant.PublicClientId, idToken.GetProperty("aud").GetString());
        Assert.InRange(idToken.GetProperty("auth_time").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.False(string.IsNullOrEmpty(idToken.GetProperty("sid").GetString()));
        var accessToken = BrowserTenant.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Contains(TestTenant.ApiAudience, accessToken.GetProperty("aud").EnumerateArray().Select(a => a.GetString()));
        Assert.False(accessToken.TryGetProperty("gty", out _));
        Assert.Equal(3600, tokens.GetProperty("expires_in").GetInt32());

        // offline_access on an API that allows it: a refresh token, which refreshes as any other.
        var refreshed = await tenant.Tenant.TokenAsync(("grant_type", "refresh_token"), ("client_id", tenant.PublicClientId), ("refresh_token", tokens.GetProperty("refresh_token").GetString()!));
        await HttpAssert.OkJsonAsync(refreshed);

        var login = (await tenant.Tenant.LogsOfTypeAsync("s")).First(l => l.UserId == "fake|id-ada");
        Assert.Equal(BrowserTenant.FakeConnection, login.ConnectionName);
        Assert.Contains((await tenant.Tenant.LogsOfTypeAsync("seacft")), l => l.UserId == "fake|id-ada" && l.ClientId == tenant.PublicClientId);
    }

    [Fact]
    public async Task The_browser_path_and_the_password_path_give_one_user_id()
    {
        using var browser = tenant.Browser("same-" + Guid.NewGuid());
        var code = tenant.AppResponse(await tenant.SignInAsync(browser, "grace"))["code"];
        var viaBrowser = BrowserTenant.Payload((await BrowserTenant.TokensAsync(await tenant.ExchangeAsync(code))).GetProperty("id_token").GetString()!);

        var viaPassword = await HttpAssert.OkJsonAsync(await tenant.Tenant.TokenAsync(("grant_type", "http://auth0.com/oauth/grant-type/password-realm"),
            ("client_id", tenant.Tenant.NativeClientId), ("realm", BrowserTenant.FakeConnection), ("username", "grace"), ("password", "fake-password"), ("scope", "openid")));
        Assert.Equal(viaBrowser.GetProperty("sub").GetString(), BrowserTenant.Payload(viaPassword.GetProperty("id_token").GetString()!).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task A_confidential_client_authenticates_at_the_exchange_and_may_skip_pkce()
    {
        using var browser = tenant.Browser("web-" + Guid.NewGuid());
        var location = await tenant.SignInAsync(browser, "linus", ("client_id", tenant.WebClientId), ("redirect_uri", BrowserTenant.WebCallback),
            ("code_challenge", null), ("code_challenge_method", null), ("scope", "openid email"), ("audience", null));
        var code = tenant.AppResponse(location, BrowserTenant.WebCallback)["code"];
        (string, string?)[] web = [("client_id", tenant.WebClientId), ("redirect_uri", BrowserTenant.WebCallback), ("code_verifier", null)];

        await HttpAssert.OAuthErrorAsync(await tenant.ExchangeAsync(code, [.. web, ("client_secret", "wrong")]), 401, "invalid_client");
        var tokens = await BrowserTenant.TokensAsync(await tenant.ExchangeAsync(code, [.. web, ("client_secret", tenant.WebClientSecret)]));
        var idToken = BrowserTenant.Payload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal("linus@fake.example", idToken.GetProperty("email").GetString());
        Assert.False(idToken.TryGetProperty("name", out _)); // openid email asks for no profile claims (no widening, unlike the password grant)
        Assert.False(tokens.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task Form_post_answers_with_an_auto_submitting_form_under_a_nonce_csp()
    {
        using var browser = tenant.Browser("form-" + Guid.NewGuid());
        var toProvider = await browser.GetAsync(tenant.AuthorizeUrl(("response_mode", "form_post"), ("state", "<s&\"t>")));
        var state = BrowserTenant.Query(toProvider.Headers.Location!)["state"];
        var page = await browser.PostAsync("login/callback", new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = state, ["user"] = "mary" }));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"<script nonce=\"{nonce}\">", html, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action https://app.example", csp, StringComparison.Ordinal);
        Assert.Contains("action=\"https://app.example/callback\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"state\" value=\"&lt;s&amp;&quot;t&gt;\"", html, StringComparison.Ordinal);
        Assert.Contains($"name=\"iss\" value=\"{tenant.Server.Issuer}\"", html, StringComparison.Ordinal);
        Assert.Matches("name=\"code\" value=\"[A-Za-z0-9_-]{43}\"", html);
        Assert.DoesNotContain("http", html.Replace("https://app.example/callback", "", StringComparison.Ordinal).Replace(tenant.Server.Issuer, "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_live_session_answers_silently_and_prompt_login_or_max_age_ask_again()
    {
        using var browser = tenant.Browser("sso-" + Guid.NewGuid());
        var first = BrowserTenant.Payload((await BrowserTenant.TokensAsync(await tenant.ExchangeAsync(tenant.AppResponse(await tenant.SignInAsync(browser, "joan"))["code"]))).GetProperty("id_token").GetString()!);

        var silent = await browser.GetAsync(tenant.AuthorizeUrl(("prompt", "none"), ("state", "silent"), ("nonce", "n2")));
        var answer = tenant.AppResponse(silent.Headers.Location!);
        Assert.Equal("silent", answer["state"]);
        var second = BrowserTenant.Payload((await BrowserTenant.TokensAsync(await tenant.ExchangeAsync(answer["code"]))).GetProperty("id_token").GetString()!);
        Assert.Equal(first.GetProperty("sub").GetString(), second.GetProperty("sub").GetString());
        Assert.Equal(first.GetProperty("sid").GetString(), second.GetProperty("sid").GetString());
        Assert.Equal(first.GetProperty("auth_time").GetInt64(), second.GetProperty("auth_time").GetInt64());
        Assert.Equal("n2", second.GetProperty("nonce").GetString());
        Assert.Contains(await tenant.Tenant.LogsOfTypeAsync("ssa"), l => l.UserId == "fake|id-joan");

        // Without prompt the session answers too; prompt=login and max_age=0 go back to the provider.
        Assert.StartsWith(BrowserTenant.PublicCallback, (await browser.GetAsync(tenant.AuthorizeUrl())).Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        var forced = await browser.GetAsync(tenant.AuthorizeUrl(("prompt", "login")));
        Assert.StartsWith(FakeIdentityProviderStrategy.ProviderHost, forced.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("login", BrowserTenant.Query(forced.Headers.Location!)["prompt"]);
        Assert.StartsWith(FakeIdentityProviderStrategy.ProviderHost, (await browser.GetAsync(tenant.AuthorizeUrl(("max_age", "0")))).Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.StartsWith(BrowserTenant.PublicCallback, (await browser.GetAsync(tenant.AuthorizeUrl(("max_age", "3600")))).Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_none_without_a_session_is_login_required_without_ui()
    {
        using var browser = tenant.Browser("nosession-" + Guid.NewGuid());
        var response = await browser.GetAsync(tenant.AuthorizeUrl(("prompt", "none"), ("state", "quiet")));
        var answer = tenant.AppResponse(response.Headers.Location!);
        Assert.Equal("login_required", answer["error"]);
        Assert.Equal("Login required", answer["error_description"]);
        Assert.Equal("quiet", answer["state"]);
        Assert.NotEmpty(await tenant.Tenant.LogsOfTypeAsync("fsa"));
    }

    [Fact]
    public async Task Without_a_federated_connection_the_browser_goes_to_the_login_page_with_a_transaction()
    {
        using var browser = tenant.Browser("page-" + Guid.NewGuid());
        var response = await browser.GetAsync(tenant.AuthorizeUrl(("connection", null)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/u/login", response.Headers.Location!.OriginalString.Split('?')[0]);
        var transactionId = BrowserTenant.Query(new Uri(new Uri(tenant.Server.Issuer), response.Headers.Location))["state"];
        var transaction = await tenant.Service<Gatehouse.Core.Authorization.ILoginTransactionStore>().FindAsync(transactionId, CancellationToken.None);
        Assert.Equal(tenant.PublicClientId, transaction!.Request.ClientId);
        Assert.Equal(BrowserTenant.Challenge, transaction.Request.CodeChallenge);

        // The login page's "Continue with" link starts the federated leg for that transaction.
        var federated = await browser.GetAsync($"login/federated?state={Uri.EscapeDataString(transactionId)}&connection={BrowserTenant.FakeConnection}");
        Assert.StartsWith(FakeIdentityProviderStrategy.ProviderHost, federated.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_to_authorize_is_read_like_the_query()
    {
        using var browser = tenant.Browser("post-" + Guid.NewGuid());
        var query = tenant.AuthorizeUrl().Split('?', 2)[1];
        var response = await browser.PostAsync("authorize", new StringContent(query, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.StartsWith(FakeIdentityProviderStrategy.ProviderHost, response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_refusal_and_a_blocked_user_reach_the_app_as_access_denied()
    {
        using var browser = tenant.Browser("denied-" + Guid.NewGuid());
        var toProvider = await browser.GetAsync(tenant.AuthorizeUrl());
        var state = BrowserTenant.Query(toProvider.Headers.Location!)["state"];
        var refused = await browser.GetAsync($"login/callback?state={state}&error=consent_required&error_description=The+admin+must+consent");
        var answer = tenant.AppResponse(refused.Headers.Location!);
        Assert.Equal("access_denied", answer["error"]);
        Assert.Equal("The admin must consent", answer["error_description"]);
        Assert.Equal("app-state-1", answer["state"]);
        var failed = (await tenant.Tenant.LogsOfTypeAsync("f")).First(l => l.Details?.ToString().Contains("FAKEconsent_required", StringComparison.Ordinal) == true);
        Assert.Equal(tenant.PublicClientId, failed.ClientId);

        tenant.AppResponse(await tenant.SignInAsync(tenant.Browser("blocked-" + Guid.NewGuid()), "mallory"));
        (await tenant.Tenant.Management.PatchAsJsonAsync($"users/{Uri.EscapeDataString("fake|id-mallory")}", new { blocked = true })).EnsureSuccessStatusCode();
        var blocked = tenant.AppResponse(await tenant.SignInAsync(tenant.Browser("blocked2-" + Guid.NewGuid()), "mallory"));
        Assert.Equal("access_denied", blocked["error"]);
        Assert.Equal("user is blocked", blocked["error_description"]);
        Assert.False(blocked.ContainsKey("code"));
    }

    [Theory]
    [InlineData("response_type", "token", "unsupported_response_type")]
    [InlineData("response_type", "code id_token", "unsupported_response_type")]
    [InlineData("response_type", null, "invalid_request")]
    [InlineData("response_mode", "fragment", "invalid_request")]
    [InlineData("prompt", "bogus", "invalid_request")]
    [InlineData("max_age", "-1", "invalid_request")]
    [InlineData("audience", "https://unknown.api/", "access_denied")]
    [InlineData("connection", "no-such-connection", "invalid_request")]
    public async Task Bad_parameters_go_back_to_the_app_with_iss_and_state(string name, string? value, string error)
    {
        using var browser = tenant.Browser("bad-" + Guid.NewGuid());
        var response = await browser.GetAsync(tenant.AuthorizeUrl((name, value)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var answer = tenant.AppResponse(response.Headers.Location!);
        Assert.Equal(error, answer["error"]);
        Assert.Equal("app-state-1", answer["state"]);
        Assert.False(answer.ContainsKey("code"));
    }

    [Fact]
    public async Task A_client_without_the_grant_is_unauthorized_client()
    {
        var client = await tenant.Tenant.PostAsync("clients", new { name = "No code", app_type = "native", token_endpoint_auth_method = "none", grant_types = new[] { "password" }, callbacks = new[] { BrowserTenant.PublicCallback } });
        using var browser = tenant.Browser("nogrant");
        var answer = tenant.AppResponse((await browser.GetAsync(tenant.AuthorizeUrl(("client_id", client.GetProperty("client_id").GetString())))).Headers.Location!);
        Assert.Equal("unauthorized_client", answer["error"]);
        Assert.Equal("Grant type 'authorization_code' not allowed for the client.", answer["error_description"]);
    }

    [Fact]
    public async Task A_third_party_client_is_refused_without_a_consent_step()
    {
        var client = await tenant.Tenant.PostAsync("clients", new { name = "Third", app_type = "native", is_first_party = false, token_endpoint_auth_method = "none", grant_types = new[] { "authorization_code" }, callbacks = new[] { BrowserTenant.PublicCallback } });
        var clientId = client.GetProperty("client_id").GetString();
        using var browser = tenant.Browser("third");
        Assert.Equal("consent_required", tenant.AppResponse((await browser.GetAsync(tenant.AuthorizeUrl(("client_id", clientId), ("prompt", "none")))).Headers.Location!)["error"]);
        Assert.Equal("access_denied", tenant.AppResponse((await browser.GetAsync(tenant.AuthorizeUrl(("client_id", clientId)))).Headers.Location!)["error"]);
    }
}

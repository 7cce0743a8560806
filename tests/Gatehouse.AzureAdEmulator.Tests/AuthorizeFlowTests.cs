using System.Net;
using Gatehouse.AzureAd.Emulator.Tests.Support;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>The authorize endpoints, sign-in page and code redemption, driven with plain HTTP like a browser.</summary>
public sealed class AuthorizeFlowTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private AzureAdEmulator Emu => fixture.Emulator;

    private Task<Reply> RedeemAsync(string code, string? verifier, string version = "2.0", string redirectUri = Browser.WebRedirect,
        string clientId = DemoDirectory.ConfidentialAppId, string? secret = DemoDirectory.ConfidentialSecret, params (string, string)[] extra)
    {
        var fields = new List<(string, string)> { ("grant_type", "authorization_code"), ("client_id", clientId), ("code", code), ("redirect_uri", redirectUri) };
        if (secret is not null) fields.Add(("client_secret", secret));
        if (verifier is not null) fields.Add(("code_verifier", verifier));
        fields.AddRange(extra);
        var path = version == "1.0" ? $"{DemoDirectory.TenantDomain}/oauth2/token" : $"{DemoDirectory.TenantDomain}/oauth2/v2.0/token";
        return fixture.Sts.PostFormAsync(path, fields);
    }

    [Fact]
    public async Task V2_sign_in_redirects_with_code_state_and_session_state_and_redeems_with_nonce()
    {
        using var browser = new Browser(Emu);
        var (verifier, challenge) = Browser.Pkce();

        var page = await browser.GetAsync(Browser.AuthorizeUrl(challenge: challenge, extra: ("login_hint", DemoDirectory.Adele)));
        Assert.Contains($"value=\"{DemoDirectory.Adele}\"", page.Body, StringComparison.Ordinal); // login_hint prefills
        Assert.Contains("name=\"passwd\"", page.Body, StringComparison.Ordinal);
        var answer = await browser.SignInAsync(page, DemoDirectory.Adele);

        Assert.StartsWith("https://localhost:44321/login/callback?code=", answer.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("st-123", answer.RedirectParameter("state"));
        Assert.True(Guid.TryParse(answer.RedirectParameter("session_state"), out _));
        var reply = await RedeemAsync(answer.RedirectParameter("code")!, verifier);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var id = JwtParts.Decode(reply.Json.GetProperty("id_token").GetString()!);
        Assert.Equal("n-456", id.Claim("nonce"));
        Assert.Equal(DemoDirectory.ConfidentialAppId, id.Claim("aud"));
        Assert.Equal(DemoDirectory.Adele, id.Claim("preferred_username"));
        Assert.True(reply.Json.TryGetProperty("refresh_token", out _)); // offline_access
        var access = JwtParts.Decode(reply.Json.GetProperty("access_token").GetString()!);
        Assert.Equal("1", access.Claim("appidacr"));
        Assert.Equal(["pwd"], access.Payload.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains(Emu.SignInLog.Entries, e => e.GrantType == "authorization_code" && e.UserPrincipalName == DemoDirectory.Adele && e.ResultCode == 0);
    }

    [Fact]
    public async Task V1_sign_in_takes_resource_and_redeems_an_unsigned_id_token_with_nonce()
    {
        using var browser = new Browser(Emu);
        var code = await browser.CodeAsync(
            Browser.AuthorizeUrl("1.0", scope: "openid", resource: "https://graph.microsoft.com", challenge: "plain-verifier-0123456789-0123456789-0123456789", method: "plain"),
            DemoDirectory.Megan);

        var reply = await RedeemAsync(code, "plain-verifier-0123456789-0123456789-0123456789", version: "1.0");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("https://graph.microsoft.com", reply.Json.GetProperty("resource").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.String, reply.Json.GetProperty("expires_in").ValueKind);
        var id = JwtParts.Decode(reply.Json.GetProperty("id_token").GetString()!);
        Assert.Equal("none", id.Header.GetProperty("alg").GetString());
        Assert.Equal("n-456", id.Claim("nonce"));
        Assert.True(reply.Json.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task An_unregistered_redirect_uri_gets_an_error_page_not_a_redirect()
    {
        using var browser = new Browser(Emu);
        var page = await browser.GetAsync(Browser.AuthorizeUrl(redirectUri: "https://evil.example/callback"));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Null(page.Location);
        Assert.Contains("AADSTS50011", page.Body, StringComparison.Ordinal);
        Assert.Contains("https://evil.example/callback", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_client_gets_an_error_page()
    {
        using var browser = new Browser(Emu);
        var page = await browser.GetAsync(Browser.AuthorizeUrl(clientId: "00000000-0000-0000-0000-000000000123"));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Null(page.Location);
        Assert.Contains("AADSTS700016", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_errors_after_the_redirect_check_go_back_to_the_app_in_azure_format()
    {
        using var browser = new Browser(Emu);
        var resource = await browser.GetAsync(Browser.AuthorizeUrl(resource: "https://graph.microsoft.com"));
        var token = await browser.GetAsync(Browser.AuthorizeUrl().Replace("response_type=code", "response_type=token", StringComparison.Ordinal));

        Assert.Equal("invalid_request", resource.RedirectParameter("error"));
        Assert.StartsWith("AADSTS901002: ", resource.RedirectParameter("error_description"), StringComparison.Ordinal);
        Assert.Equal("st-123", resource.RedirectParameter("state"));
        Assert.Equal("unsupported_response_type", token.RedirectParameter("error"));
        Assert.Contains("AADSTS700051", token.RedirectParameter("error_description"), StringComparison.Ordinal);
        // Entra's encoding: lower-case escapes, '+' for spaces, CRLF between the parts.
        Assert.Contains("error_description=AADSTS901002%3a+The+%27resource%27", resource.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("%0d%0aTrace+ID%3a+", resource.Location.OriginalString, StringComparison.Ordinal);
        Assert.Contains("&error_uri=https%3a%2f%2f127.0.0.1%3a", resource.Location.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_shown_on_the_page_and_the_form_can_be_retried()
    {
        using var browser = new Browser(Emu);
        var page = await browser.GetAsync(Browser.AuthorizeUrl());
        var wrong = await browser.SignInAsync(page, DemoDirectory.Megan, "not-the-password");

        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Contains("AADSTS50126", wrong.Body, StringComparison.Ordinal);
        Assert.Contains($"value=\"{DemoDirectory.Megan}\"", wrong.Body, StringComparison.Ordinal);
        var retry = await browser.SignInAsync(wrong, DemoDirectory.Megan);
        Assert.NotNull(retry.RedirectParameter("code"));
    }

    [Theory]
    [InlineData(DemoDirectory.DisabledUser, "AADSTS50057")]
    [InlineData(DemoDirectory.LockedUser, "AADSTS50053")]
    [InlineData("nobody@contoso.com", "AADSTS50034")]
    public async Task Refused_accounts_are_told_on_the_sign_in_page(string user, string code)
    {
        using var browser = new Browser(Emu);
        var answer = await browser.AuthorizeAndSignInAsync(Browser.AuthorizeUrl(), user, "P@ssw0rd-disabled");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Null(answer.Location);
        Assert.Contains(code, answer.Body, StringComparison.Ordinal);
        Assert.Contains("name=\"passwd\"", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conditional_access_block_is_a_page_with_53003()
    {
        using var browser = new Browser(Emu);
        var answer = await browser.AuthorizeAndSignInAsync(Browser.AuthorizeUrl(), DemoDirectory.BlockedUser);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Null(answer.Location);
        Assert.Contains("AADSTS53003", answer.Body, StringComparison.Ordinal);
        Assert.Contains("Trace ID: ", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"passwd\"", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_posted_from_another_browser_is_refused()
    {
        using var victim = new Browser(Emu);
        using var attacker = new Browser(Emu);
        var attackerPage = await attacker.GetAsync(Browser.AuthorizeUrl());
        await victim.GetAsync(Browser.AuthorizeUrl()); // the victim's own buid cookie

        var forged = await victim.SignInAsync(attackerPage, DemoDirectory.Megan);
        var noCanary = await attacker.SubmitAsync(attackerPage with { Body = attackerPage.Body.Replace("name=\"canary\"", "name=\"x\"", StringComparison.Ordinal) },
            ("login", DemoDirectory.Megan), ("passwd", DemoDirectory.PasswordOf(DemoDirectory.Megan)));

        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains("AADSTS90100", forged.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noCanary.Status);
        Assert.Null(forged.Location);
    }

    [Fact]
    public async Task Pages_cannot_be_framed_and_load_nothing_external()
    {
        using var browser = new Browser(Emu);
        using var response = await fixture.Sts.Http.GetAsync(Browser.AuthorizeUrl());
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));

        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        // Browsers apply form-action to the redirect that answers the form: the app's origin must be allowed.
        Assert.Contains("form-action 'self' https://localhost:44321;", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", string.Join("", response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Prompt_none_without_a_session_answers_login_required_50058()
    {
        using var browser = new Browser(Emu);
        var answer = await browser.GetAsync(Browser.AuthorizeUrl(extra: ("prompt", "none")));

        Assert.Equal("login_required", answer.RedirectParameter("error"));
        var description = answer.RedirectParameter("error_description")!;
        Assert.StartsWith("AADSTS50058: A silent sign-in request was sent but no user is signed in.\r\nTrace ID: ", description, StringComparison.Ordinal);
        Assert.Contains("\r\nCorrelation ID: ", description, StringComparison.Ordinal);
        Assert.Contains("\r\nTimestamp: ", description, StringComparison.Ordinal);
        Assert.EndsWith("error?code=50058", answer.RedirectParameter("error_uri"), StringComparison.Ordinal);
        Assert.Equal("st-123", answer.RedirectParameter("state"));
    }

    [Fact]
    public async Task The_session_cookie_makes_the_next_authorize_silent_and_prompt_login_asks_again()
    {
        using var browser = new Browser(Emu);
        await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Adele);

        var silent = await browser.GetAsync(Browser.AuthorizeUrl(state: "s2", extra: ("prompt", "none")));
        var again = await browser.GetAsync(Browser.AuthorizeUrl(state: "s3"));
        var forced = await browser.GetAsync(Browser.AuthorizeUrl(extra: ("prompt", "login")));
        var otherHint = await browser.GetAsync(Browser.AuthorizeUrl(extra: [("prompt", "none"), ("login_hint", DemoDirectory.Megan)]));

        Assert.NotNull(silent.RedirectParameter("code"));
        Assert.Equal("s2", silent.RedirectParameter("state"));
        Assert.NotNull(again.RedirectParameter("code"));
        Assert.Equal(HttpStatusCode.OK, forced.Status);
        Assert.Contains("name=\"passwd\"", forced.Body, StringComparison.Ordinal);
        Assert.Equal("login_required", otherHint.RedirectParameter("error"));
        var cookie = browser.Cookies.GetCookies(new Uri(Emu.BaseUrl)).Single(c => c.Name == "ESTSAUTH");
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
    }

    [Fact]
    public async Task Select_account_shows_the_signed_in_account_and_continues_without_a_password()
    {
        using var browser = new Browser(Emu);
        await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Adele);

        var picker = await browser.GetAsync(Browser.AuthorizeUrl(extra: ("prompt", "select_account")));
        var answer = await browser.SubmitAsync(picker, ("action", "continue"));

        Assert.Contains(DemoDirectory.Adele, picker.Body, StringComparison.Ordinal);
        Assert.NotNull(answer.RedirectParameter("code"));
    }

    [Fact]
    public async Task Logout_ends_the_session_and_redirects_only_to_a_registered_uri()
    {
        using var browser = new Browser(Emu);
        await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Adele);

        var unregistered = await browser.GetAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/logout?post_logout_redirect_uri={Uri.EscapeDataString("https://evil.example/")}");
        await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Adele);
        var registered = await browser.GetAsync($"{DemoDirectory.TenantDomain}/oauth2/logout?post_logout_redirect_uri={Uri.EscapeDataString(Browser.WebRedirect)}");
        var silent = await browser.GetAsync(Browser.AuthorizeUrl(extra: ("prompt", "none")));

        Assert.Equal(HttpStatusCode.OK, unregistered.Status);
        Assert.Contains("signedOut", unregistered.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, registered.Status);
        Assert.Equal(Browser.WebRedirect, registered.Location!.OriginalString);
        Assert.Equal("login_required", silent.RedirectParameter("error"));
    }

    [Fact]
    public async Task Form_post_mode_answers_with_a_self_submitting_form_to_the_redirect_uri()
    {
        using var browser = new Browser(Emu);
        var answer = await browser.AuthorizeAndSignInAsync(Browser.AuthorizeUrl(extra: ("response_mode", "form_post")), DemoDirectory.Adele);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(Browser.WebRedirect, answer.FormAction());
        Assert.Equal("st-123", answer.HiddenValue("state"));
        Assert.StartsWith("1.A", answer.HiddenValue("code"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_is_single_use()
    {
        using var browser = new Browser(Emu);
        var code = await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Adele);

        var first = await RedeemAsync(code, null);
        var replay = await RedeemAsync(code, null);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("invalid_grant", replay.Error);
        Assert.Equal(54005, replay.ErrorCode);
    }

    [Fact]
    public async Task A_code_is_bound_to_its_redirect_uri_client_and_verifier()
    {
        using var browser = new Browser(Emu);
        var (verifier, challenge) = Browser.Pkce();
        var code = await browser.CodeAsync(Browser.AuthorizeUrl(challenge: challenge), DemoDirectory.Adele);

        var otherRedirect = await RedeemAsync(code, verifier, redirectUri: "https://127.0.0.1/login/callback");
        var otherClient = await RedeemAsync(code, verifier, clientId: DemoDirectory.WebApiAppId, secret: DemoDirectory.WebApiSecret);
        var noVerifier = await RedeemAsync(code, null);
        var wrongVerifier = await RedeemAsync(code, Browser.Pkce().Verifier);
        var stillGood = await RedeemAsync(code, verifier);

        Assert.Equal(500112, otherRedirect.ErrorCode);
        Assert.Equal(70000, otherClient.ErrorCode);
        Assert.Equal(501481, noVerifier.ErrorCode);
        Assert.Equal("invalid_grant", wrongVerifier.Error);
        Assert.Equal(501481, wrongVerifier.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, stillGood.Status);
    }

    [Fact]
    public async Task A_confidential_client_must_authenticate_to_redeem()
    {
        using var browser = new Browser(Emu);
        var code = await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Adele);

        var noSecret = await RedeemAsync(code, null, secret: null);
        var badSecret = await RedeemAsync(code, null, secret: "wrong");
        var missingCode = await fixture.Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/token",
            [("grant_type", "authorization_code"), ("client_id", DemoDirectory.ConfidentialAppId), ("redirect_uri", Browser.WebRedirect)]);
        var unknownCode = await RedeemAsync("1.Anot-a-code", null);

        Assert.Equal(HttpStatusCode.Unauthorized, noSecret.Status);
        Assert.Equal(7000218, noSecret.ErrorCode);
        Assert.Equal(7000215, badSecret.ErrorCode);
        Assert.Equal(900144, missingCode.ErrorCode);
        Assert.Equal(9002313, unknownCode.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(code, null)).Status);
    }

    [Fact]
    public async Task A_public_client_redeems_without_a_secret_and_is_refused_one()
    {
        using var browser = new Browser(Emu);
        var (verifier, challenge) = Browser.Pkce();
        var url = Browser.AuthorizeUrl(clientId: DemoDirectory.NativeAppId, redirectUri: "http://localhost:5123/callback", challenge: challenge);
        var code = await browser.CodeAsync(url, DemoDirectory.Adele);

        var withSecret = await RedeemAsync(code, verifier, redirectUri: "http://localhost:5123/callback", clientId: DemoDirectory.NativeAppId, secret: "x");
        var ok = await RedeemAsync(code, verifier, redirectUri: "http://localhost:5123/callback", clientId: DemoDirectory.NativeAppId, secret: null);

        Assert.Equal(700025, withSecret.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal("0", JwtParts.Decode(ok.Json.GetProperty("access_token").GetString()!).Claim("appidacr"));
    }

    [Fact]
    public async Task Organizations_takes_the_tenant_from_the_user_and_the_code_redeems_there()
    {
        using var browser = new Browser(Emu);
        var code = await browser.CodeAsync(Browser.AuthorizeUrl(tenant: "organizations"), DemoDirectory.Adele);

        var reply = await fixture.Sts.PostFormAsync("organizations/oauth2/v2.0/token",
            [("grant_type", "authorization_code"), ("client_id", DemoDirectory.ConfidentialAppId), ("client_secret", DemoDirectory.ConfidentialSecret),
             ("code", code), ("redirect_uri", Browser.WebRedirect), ("scope", "openid User.Read")]);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(DemoDirectory.TenantId, JwtParts.Decode(reply.Json.GetProperty("id_token").GetString()!).Claim("tid"));
    }

    [Fact]
    public async Task A_new_password_sign_in_always_gets_a_new_session_id()
    {
        using var browser = new Browser(Emu);
        await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Adele);
        var first = browser.Cookies.GetCookies(new Uri(Emu.BaseUrl))["ESTSAUTH"]!.Value;

        await browser.CodeAsync(Browser.AuthorizeUrl(extra: ("prompt", "login")), DemoDirectory.Adele);
        var second = browser.Cookies.GetCookies(new Uri(Emu.BaseUrl))["ESTSAUTH"]!.Value;

        Assert.NotEqual(first, second);
        // The old session is gone: planting it again signs nobody in.
        using var other = new Browser(Emu);
        other.Cookies.Add(new Uri(Emu.BaseUrl), new System.Net.Cookie("ESTSAUTH", first));
        Assert.Equal("login_required", (await other.GetAsync(Browser.AuthorizeUrl(extra: ("prompt", "none")))).RedirectParameter("error"));
    }

    [Fact]
    public async Task V2_requires_redirect_uri_and_v1_falls_back_to_the_first_reply_url()
    {
        using var browser = new Browser(Emu);
        var v2 = await browser.GetAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/authorize?client_id={DemoDirectory.ConfidentialAppId}&response_type=code&scope=openid");
        var v1 = await browser.AuthorizeAndSignInAsync(
            $"{DemoDirectory.TenantDomain}/oauth2/authorize?client_id={DemoDirectory.ConfidentialAppId}&response_type=code", DemoDirectory.Adele);

        Assert.Equal(HttpStatusCode.BadRequest, v2.Status);
        Assert.Contains("AADSTS900144", v2.Body, StringComparison.Ordinal);
        Assert.StartsWith(DemoDirectory.WebRedirectUris[0] + "?code=", v1.Location!.OriginalString, StringComparison.Ordinal);
        // Without resource at authorize or at the token endpoint, v1 asks for it.
        var reply = await RedeemAsync(v1.RedirectParameter("code")!, null, version: "1.0", redirectUri: DemoDirectory.WebRedirectUris[0]);
        Assert.Equal(900144, reply.ErrorCode);
    }

    [Fact]
    public async Task An_unknown_code_challenge_method_is_an_error_redirect()
    {
        using var browser = new Browser(Emu);
        var answer = await browser.GetAsync(Browser.AuthorizeUrl(challenge: "abc", method: "S512"));

        Assert.Equal("invalid_request", answer.RedirectParameter("error"));
        Assert.Contains("S512", answer.RedirectParameter("error_description"), StringComparison.Ordinal);
    }
}

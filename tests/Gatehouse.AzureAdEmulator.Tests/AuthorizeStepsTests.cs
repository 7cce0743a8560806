using System.Net;
using Gatehouse.AzureAd.Emulator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>The MFA and consent steps, and code expiry: each test on its own emulator, since consent and time persist.</summary>
public sealed class AuthorizeStepsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private AzureAdEmulator _emu = null!;
    private StsClient _sts = null!;

    public async Task InitializeAsync()
    {
        _emu = await AzureAdEmulator.StartAsync(new EmulatorOptions { TimeProvider = _time });
        _sts = new StsClient(_emu);
    }

    public async Task DisposeAsync()
    {
        _sts.Dispose();
        await _emu.DisposeAsync();
    }

    private Task<Reply> RedeemAsync(string code, string clientId = DemoDirectory.ConfidentialAppId, string redirectUri = Browser.WebRedirect, string? secret = DemoDirectory.ConfidentialSecret)
    {
        var fields = new List<(string, string)> { ("grant_type", "authorization_code"), ("client_id", clientId), ("code", code), ("redirect_uri", redirectUri) };
        if (secret is not null) fields.Add(("client_secret", secret));
        return _sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/token", fields);
    }

    [Fact]
    public async Task A_user_who_needs_mfa_passes_the_code_step_and_gets_amr_mfa()
    {
        using var browser = new Browser(_emu);
        var mfaPage = await browser.AuthorizeAndSignInAsync(Browser.AuthorizeUrl(), DemoDirectory.MfaUser);
        Assert.Contains("name=\"otc\"", mfaPage.Body, StringComparison.Ordinal);

        var wrong = await browser.SubmitAsync(mfaPage, ("otc", "000000x"));
        Assert.Contains("expected verification code", wrong.Body, StringComparison.Ordinal);
        var fromAdmin = await _sts.GetAsync($"_emulator/mfa-codes/{Uri.EscapeDataString(DemoDirectory.MfaUser)}");
        Assert.Equal(HttpStatusCode.OK, fromAdmin.Status);
        var otc = fromAdmin.Json.GetProperty("code").GetString()!;
        Assert.Equal(otc, _emu.PendingMfaCode(DemoDirectory.MfaUser));
        var answer = await browser.SubmitAsync(wrong, ("otc", otc));

        var reply = await RedeemAsync(answer.RedirectParameter("code")!);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var access = JwtParts.Decode(reply.Json.GetProperty("access_token").GetString()!);
        Assert.Equal(["pwd", "mfa"], access.Payload.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.Null(_emu.PendingMfaCode(DemoDirectory.MfaUser)); // used up
        Assert.Equal(HttpStatusCode.NotFound, (await _sts.GetAsync($"_emulator/mfa-codes/{Uri.EscapeDataString(DemoDirectory.MfaUser)}")).Status);
        // The session remembers MFA: a silent request needs no second code.
        var silent = await browser.GetAsync(Browser.AuthorizeUrl(extra: ("prompt", "none")));
        Assert.NotNull(silent.RedirectParameter("code"));
    }

    [Fact]
    public async Task Five_wrong_mfa_codes_end_the_sign_in_with_access_denied_500121()
    {
        using var browser = new Browser(_emu);
        var page = await browser.AuthorizeAndSignInAsync(Browser.AuthorizeUrl(), DemoDirectory.MfaUser);
        var right = _emu.PendingMfaCode(DemoDirectory.MfaUser)!;
        var wrong = right == "000000" ? "111111" : "000000";

        for (var i = 1; i < 5; i++) page = await browser.SubmitAsync(page, ("otc", wrong));
        var last = await browser.SubmitAsync(page, ("otc", wrong));
        var afterwards = await browser.SubmitAsync(page, ("otc", right));

        Assert.Equal("access_denied", last.RedirectParameter("error"));
        Assert.StartsWith("AADSTS500121", last.RedirectParameter("error_description"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, afterwards.Status); // the flow is gone
    }

    [Fact]
    public async Task The_mfa_step_cannot_be_skipped_by_posting_to_another_step()
    {
        using var browser = new Browser(_emu);
        var mfaPage = await browser.AuthorizeAndSignInAsync(Browser.AuthorizeUrl(), DemoDirectory.MfaUser);

        var skipped = await browser.SubmitAsync(mfaPage with { Body = mfaPage.Body.Replace("/login/mfa", "/login/consent", StringComparison.Ordinal) }, ("action", "accept"));

        Assert.Equal(HttpStatusCode.BadRequest, skipped.Status);
        Assert.Contains("AADSTS90100", skipped.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_none_with_a_session_but_mfa_now_required_answers_interaction_required()
    {
        using var browser = new Browser(_emu);
        await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Megan);
        var megan = _emu.Directory.Seed.Users.Single(u => u.UserPrincipalName == DemoDirectory.Megan);
        _emu.Directory.UpsertUser(megan with { MfaRequired = true });

        var silent = await browser.GetAsync(Browser.AuthorizeUrl(extra: ("prompt", "none")));
        var interactive = await browser.GetAsync(Browser.AuthorizeUrl());

        Assert.Equal("interaction_required", silent.RedirectParameter("error"));
        Assert.StartsWith("AADSTS50076", silent.RedirectParameter("error_description"), StringComparison.Ordinal);
        Assert.Contains("name=\"otc\"", interactive.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consent_cancel_sends_access_denied_65004_and_accept_is_remembered()
    {
        using var browser = new Browser(_emu);
        const string redirect = "http://localhost/callback";
        var url = Browser.AuthorizeUrl(clientId: DemoDirectory.UnconsentedAppId, redirectUri: redirect, scope: "openid offline_access User.Read");

        var consent = await browser.AuthorizeAndSignInAsync(url, DemoDirectory.Adele);
        Assert.Contains("Unconsented Tool", consent.Body, StringComparison.Ordinal);
        Assert.Contains("User.Read", consent.Body, StringComparison.Ordinal);
        var cancelled = await browser.SubmitAsync(consent, ("action", "cancel"));
        Assert.Equal("access_denied", cancelled.RedirectParameter("error"));
        Assert.Equal("cancel", cancelled.RedirectParameter("error_subcode"));
        Assert.StartsWith("AADSTS65004", cancelled.RedirectParameter("error_description"), StringComparison.Ordinal);

        var silentBefore = await browser.GetAsync(url + "&prompt=none");
        Assert.Equal("consent_required", silentBefore.RedirectParameter("error"));
        Assert.StartsWith("AADSTS65001", silentBefore.RedirectParameter("error_description"), StringComparison.Ordinal);

        var again = await browser.GetAsync(url);
        var accepted = await browser.SubmitAsync(again, ("action", "accept"));
        var reply = await RedeemAsync(accepted.RedirectParameter("code")!, DemoDirectory.UnconsentedAppId, redirect, secret: null);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("User.Read", JwtParts.Decode(reply.Json.GetProperty("access_token").GetString()!).Claim("scp"));
        var silentAfter = await browser.GetAsync(url + "&prompt=none");
        Assert.NotNull(silentAfter.RedirectParameter("code"));
        // The consent also holds for the password grant of that user and app.
        Assert.Equal(HttpStatusCode.OK, (await _sts.PasswordV2Async(DemoDirectory.Adele, "User.Read", DemoDirectory.UnconsentedAppId)).Status);
    }

    [Fact]
    public async Task Prompt_consent_shows_the_consent_page_even_when_consented()
    {
        using var browser = new Browser(_emu);
        var page = await browser.AuthorizeAndSignInAsync(Browser.AuthorizeUrl(extra: ("prompt", "consent")), DemoDirectory.Adele);

        Assert.Contains("name=\"action\" value=\"accept\"", page.Body, StringComparison.Ordinal);
        Assert.NotNull((await browser.SubmitAsync(page, ("action", "accept"))).RedirectParameter("code"));
    }

    [Fact]
    public async Task A_code_expires_after_ten_minutes()
    {
        using var browser = new Browser(_emu);
        var code = await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Adele);
        _time.Advance(TimeSpan.FromMinutes(10));

        var reply = await RedeemAsync(code);

        Assert.Equal("invalid_grant", reply.Error);
        Assert.Equal(70008, reply.ErrorCode);
    }

    [Fact]
    public async Task A_token_endpoint_fault_hits_code_redemption_and_leaves_the_code_usable()
    {
        using var browser = new Browser(_emu);
        var code = await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Adele);
        _emu.Faults.Add(new FaultRule { Route = FaultRoute.TokenV2, Kind = FaultKind.Throttle, RetryAfterSeconds = 3, Count = 1 });

        var throttled = await RedeemAsync(code);
        var retried = await RedeemAsync(code);

        Assert.Equal((HttpStatusCode)429, throttled.Status);
        Assert.Equal(HttpStatusCode.OK, retried.Status);
    }

    [Fact]
    public async Task Reset_signs_browsers_out()
    {
        using var browser = new Browser(_emu);
        await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Adele);

        Assert.Equal(HttpStatusCode.NoContent, (await _sts.PostJsonAsync("_emulator/sessions", "", method: HttpMethod.Delete)).Status);
        var silent = await browser.GetAsync(Browser.AuthorizeUrl(extra: ("prompt", "none")));

        Assert.Equal("login_required", silent.RedirectParameter("error"));
    }
}

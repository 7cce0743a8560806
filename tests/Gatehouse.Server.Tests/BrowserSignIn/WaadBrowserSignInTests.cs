using System.Net;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>
/// waad through Azure AD's own sign-in page, end to end over loopback HTTPS: Gatehouse's /authorize, the emulator's
/// sign-in, MFA and consent pages, Azure's form_post to /login/callback, the code exchange, federated logout.
/// </summary>
public sealed class WaadBrowserSignInTests(WaadBrowserFixture world) : IClassFixture<WaadBrowserFixture>
{
    private AzureAdEmulator Emulator => world.Emulator;

    [Fact]
    public async Task A_user_the_password_grant_refuses_with_mfa_required_signs_in_in_the_browser_with_mfa_as_the_same_user()
    {
        // A user of this test's own, so lifting MFA at the end changes nobody else's sign-in.
        const string upn = "mfa.browser@contoso.onmicrosoft.com";
        var mfaUser = Emulator.Directory.Seed.Users.Single(u => u.UserPrincipalName == DemoDirectory.MfaUser) with
        {
            Id = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7101", UserPrincipalName = upn, Password = DemoDirectory.PasswordOf(upn), Mail = null,
        };
        Emulator.Directory.UpsertUser(mfaUser);
        await HttpAssert.OAuthErrorAsync(await world.PasswordLoginAsync(WaadBrowserFixture.V2Connection, upn), 403, "mfa_required");

        using var browser = world.NewBrowser();
        var toAzure = await browser.ToAzureAsync(WaadBrowserFixture.V2Connection);
        var mfaPage = await browser.SignInAtAzureAsync(await browser.OpenAsync(toAzure), upn);
        var formPost = await browser.PassMfaAsync(mfaPage, upn);
        var answer = browser.AppAnswer(await browser.ReturnToGatehouseAsync(formPost));
        var userId = WaadBrowserFixture.SubjectOf(await world.ExchangeAsync(answer["code"]));

        Assert.StartsWith("waad|", userId, StringComparison.Ordinal);
        Assert.Contains(Emulator.SignInLog.Entries, e => e.GrantType == "authorization_code" && e.UserPrincipalName == upn && e.ResultCode == 0);
        // The administrator lifts MFA: the password grant now signs the same Azure user in as the same Gatehouse user.
        Emulator.Directory.UpsertUser(mfaUser with { MfaRequired = false });
        var password = await HttpAssert.OkJsonAsync(await world.PasswordLoginAsync(WaadBrowserFixture.V2Connection, upn));
        Assert.Equal(userId, WaadBrowserFixture.SubjectOf(password));
        Assert.Single(await world.UsersOfAsync(WaadBrowserFixture.V2Connection), u => u.UserId == userId);
    }

    [Theory]
    [InlineData(WaadBrowserFixture.V2Connection)]
    [InlineData(WaadBrowserFixture.V1Connection)]
    public async Task The_browser_and_the_password_grant_give_one_azure_user_one_user_id_with_the_same_groups(string connection)
    {
        var byPassword = WaadBrowserFixture.SubjectOf(await HttpAssert.OkJsonAsync(await world.PasswordLoginAsync(connection, DemoDirectory.Adele)));
        var afterPassword = Assert.Single(await world.UsersOfAsync(connection), u => u.UserId == byPassword);
        var groups = Attribute(afterPassword, "groups");

        using var browser = world.NewBrowser();
        var answer = await browser.SignInAsync(connection, DemoDirectory.Adele);
        var byBrowser = WaadBrowserFixture.SubjectOf(await world.ExchangeAsync(answer["code"]));

        Assert.Equal(byPassword, byBrowser);
        var afterBrowser = Assert.Single(await world.UsersOfAsync(connection), u => u.UserId == byBrowser);
        Assert.Equal(afterPassword.ExternalKey, afterBrowser.ExternalKey);
        Assert.Equal(afterPassword.LoginsCount + 1, afterBrowser.LoginsCount);
        Assert.Contains("Sales West", groups.EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(groups.GetRawText(), Attribute(afterBrowser, "groups").GetRawText());
        Assert.Equal(Attribute(afterPassword, "job_title").GetRawText(), Attribute(afterBrowser, "job_title").GetRawText());
    }

    [Fact]
    public async Task Home_realm_discovery_sends_an_email_of_a_domain_alias_from_the_login_page_to_azure()
    {
        using var browser = world.NewBrowser();
        var loginPage = await browser.AuthorizeAsync("");
        Assert.StartsWith("/u/login?state=", loginPage.OriginalString, StringComparison.Ordinal);
        var state = Uri.UnescapeDataString(loginPage.OriginalString["/u/login?state=".Length..]);
        var html = await browser.Gatehouse.GetStringAsync(loginPage.OriginalString.TrimStart('/'));

        var posted = await browser.Gatehouse.PostAsync("u/login?state=" + Uri.EscapeDataString(state), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["_csrf"] = Login.Browser.CsrfToken(html), ["username"] = DemoDirectory.Adele }));
        var federated = $"login/federated?state={Uri.EscapeDataString(state)}&connection={WaadBrowserFixture.V2Connection}";
        Assert.Contains(federated.Replace("&", "&amp;", StringComparison.Ordinal), await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var toAzure = (await browser.Gatehouse.GetAsync(federated)).Headers.Location!;
        Assert.StartsWith($"{Emulator.BaseUrl}{DemoDirectory.TenantDomain}/oauth2/v2.0/authorize?", toAzure.AbsoluteUri, StringComparison.Ordinal);

        var formPost = await browser.SignInAtAzureAsync(await browser.OpenAsync(toAzure), DemoDirectory.Adele);
        var answer = browser.AppAnswer(await browser.ReturnToGatehouseAsync(formPost));
        var userId = WaadBrowserFixture.SubjectOf(await world.ExchangeAsync(answer["code"]));
        Assert.Contains(await world.UsersOfAsync(WaadBrowserFixture.V2Connection), u => u.UserId == userId && string.Equals(u.Email, DemoDirectory.Adele, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Cancelling_consent_at_azure_gives_the_app_access_denied_in_plain_words_and_a_failed_login_event_with_the_aadsts_code()
    {
        using var browser = world.NewBrowser();
        var consent = await browser.SignInAtAzureAsync(await browser.OpenAsync(await browser.ToAzureAsync(WaadBrowserFixture.UnconsentedConnection)), DemoDirectory.Adele);
        Assert.Contains("id=\"consentForm\"", consent.Body, StringComparison.Ordinal);

        var answer = browser.AppAnswer(await browser.ReturnToGatehouseAsync(await browser.SubmitAsync(consent, ("action", "cancel"))));

        Assert.Equal(("access_denied", "The sign-in was cancelled at the identity provider."), (answer["error"], answer["error_description"]));
        Assert.False(answer.ContainsKey("code"));
        var failed = await LatestFailedLoginAsync();
        Assert.Equal(WaadBrowserFixture.UnconsentedConnection, failed.ConnectionName);
        Assert.Equal(world.WebClientId, failed.ClientId);
        var detail = failed.Details!.Value.GetProperty("error").GetProperty("detail").GetString()!;
        Assert.Contains("aadsts=65004", detail, StringComparison.Ordinal);
        Assert.Contains("suberror=cancel", detail, StringComparison.Ordinal);
        Assert.Empty(await world.UsersOfAsync(WaadBrowserFixture.UnconsentedConnection));
    }

    [Fact]
    public async Task A_conditional_access_block_stops_at_azure_and_gatehouse_issues_nothing()
    {
        using var browser = world.NewBrowser();
        var blocked = await browser.SignInAtAzureAsync(await browser.OpenAsync(await browser.ToAzureAsync(WaadBrowserFixture.V2Connection)), DemoDirectory.BlockedUser);

        Assert.Contains("<span id=\"errorCode\">AADSTS53003</span>", blocked.Body, StringComparison.Ordinal);
        Assert.Null(blocked.Location);
        Assert.DoesNotContain("/login/callback", blocked.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(await world.UsersOfAsync(WaadBrowserFixture.V2Connection), u => u.Email == DemoDirectory.BlockedUser);
    }

    [Fact]
    public async Task A_silent_request_azure_answers_with_login_required_reaches_the_app_as_login_required()
    {
        using var browser = world.NewBrowser(); // no session at Azure
        var silent = new Uri((await browser.ToAzureAsync(WaadBrowserFixture.V2Connection)).AbsoluteUri + "&prompt=none");

        var answer = browser.AppAnswer(await browser.ReturnToGatehouseAsync(await browser.OpenAsync(silent)));

        Assert.Equal("login_required", answer["error"]);
        Assert.DoesNotContain("AADSTS", answer["error_description"], StringComparison.Ordinal);
        Assert.Contains("aadsts=50058", (await LatestFailedLoginAsync()).Details!.Value.GetProperty("error").GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_or_replayed_state_at_the_callback_gets_an_error_page_and_no_code()
    {
        using var browser = world.NewBrowser();
        var formPost = await browser.SignInAtAzureAsync(await browser.OpenAsync(await browser.ToAzureAsync(WaadBrowserFixture.V2Connection)), DemoDirectory.Adele);
        var (action, fields) = AzureBrowser.FormPost(formPost);

        var forged = await browser.PostToGatehouseAsync(action, fields.Select(f => f.Key == "state" ? (f.Key, "forged-" + f.Value) : f));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Invalid state", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var redemptions = Redemptions();
        Assert.True(browser.AppAnswer(await browser.PostToGatehouseAsync(action, fields)).ContainsKey("code"));
        Assert.Equal(redemptions + 1, Redemptions());
        var replayed = await browser.PostToGatehouseAsync(action, fields);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Null(replayed.Headers.Location);
        Assert.Contains("Invalid state", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(redemptions + 1, Redemptions()); // the replay never reached Azure
    }

    [Fact]
    public async Task Neither_azure_code_nor_gatehouse_code_nor_the_client_secret_is_ever_logged()
    {
        using var browser = world.NewBrowser();
        var formPost = await browser.SignInAtAzureAsync(await browser.OpenAsync(await browser.ToAzureAsync(WaadBrowserFixture.V2Connection)), DemoDirectory.Adele);
        var azureCode = AzureBrowser.FormPost(formPost).Fields.Single(f => f.Key == "code").Value;
        var answer = browser.AppAnswer(await browser.ReturnToGatehouseAsync(formPost));
        var tokens = await world.ExchangeAsync(answer["code"]);

        var logs = world.Logs.AllText;
        Assert.Contains("/login/callback", logs, StringComparison.Ordinal); // the capture saw the sign-in
        Assert.DoesNotContain(azureCode, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(answer["code"], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoDirectory.ConfidentialSecret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(tokens.GetProperty("id_token").GetString()!.Split('.')[2], logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_token_whose_nonce_is_not_the_one_gatehouse_sent_is_refused()
    {
        using var browser = world.NewBrowser();
        var toAzure = await browser.ToAzureAsync(WaadBrowserFixture.V2Connection);
        var query = BrowserTenant.Query(toAzure);
        var tampered = new Uri(toAzure.AbsoluteUri.Replace("nonce=" + Uri.EscapeDataString(query["nonce"]), "nonce=nonce-of-the-attacker", StringComparison.Ordinal));
        Assert.NotEqual(toAzure, tampered);
        var usersBefore = (await world.UsersOfAsync(WaadBrowserFixture.V2Connection)).Select(u => (u.UserId, u.LoginsCount)).ToList();

        var formPost = await browser.SignInAtAzureAsync(await browser.OpenAsync(tampered), DemoDirectory.Adele);
        var answer = browser.AppAnswer(await browser.ReturnToGatehouseAsync(formPost));

        Assert.Equal(("access_denied", WaadRefusals.InvalidTokenDescription), (answer["error"], answer["error_description"]));
        Assert.Contains("nonce", (await LatestFailedLoginAsync()).Details!.Value.GetProperty("error").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(usersBefore, (await world.UsersOfAsync(WaadBrowserFixture.V2Connection)).Select(u => (u.UserId, u.LoginsCount)).ToList());
    }

    [Fact]
    public async Task Federated_logout_ends_the_session_at_azure_too_while_a_plain_logout_leaves_azure_signed_in()
    {
        using var browser = world.NewBrowser();
        await browser.SignInAsync(WaadBrowserFixture.V2Connection, DemoDirectory.Adele);

        // Plain logout: Gatehouse's session ends, Azure's does not, so Azure answers the next sign-in without its page...
        var plain = await browser.Gatehouse.GetAsync($"v2/logout?client_id={world.WebClientId}&returnTo={Uri.EscapeDataString(WaadBrowserFixture.LogoutUrl)}");
        Assert.Equal(WaadBrowserFixture.LogoutUrl, plain.Headers.Location!.AbsoluteUri);
        var sso = await browser.OpenAsync(await browser.ToAzureAsync(WaadBrowserFixture.V2Connection));
        Assert.True(browser.AppAnswer(await browser.ReturnToGatehouseAsync(sso)).ContainsKey("code"));
        // ...unless the app asks for a new login, which Gatehouse passes on to Azure.
        var forced = await browser.OpenAsync(await browser.ToAzureAsync(WaadBrowserFixture.V2Connection, "&prompt=login"));
        Assert.Contains("id=\"loginForm\"", forced.Body, StringComparison.Ordinal);

        var federated = await browser.Gatehouse.GetAsync($"v2/logout?federated&client_id={world.WebClientId}&returnTo={Uri.EscapeDataString(WaadBrowserFixture.LogoutUrl)}");
        var azureLogout = federated.Headers.Location!;
        Assert.Equal($"{Emulator.BaseUrl}{DemoDirectory.TenantDomain}/oauth2/v2.0/logout?post_logout_redirect_uri={Uri.EscapeDataString(WaadBrowserFixture.LogoutUrl)}",
            azureLogout.AbsoluteUri);
        await browser.OpenAsync(azureLogout);
        var afterLogout = await browser.OpenAsync(await browser.ToAzureAsync(WaadBrowserFixture.V2Connection));
        Assert.Contains("id=\"loginForm\"", afterLogout.Body, StringComparison.Ordinal);
    }

    private int Redemptions() => Emulator.SignInLog.Entries.Count(e => e.GrantType == "authorization_code");

    private async Task<LogEvent> LatestFailedLoginAsync() => (await world.Tenant.LogsOfTypeAsync("f"))[0];

    private static JsonElement Attribute(User user, string name)
    {
        Assert.True(user.Attributes!.Value.TryGetProperty(name, out var value), $"no {name} in {user.Attributes}");
        return value;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>
/// The password grant's mfa_required continued in Azure AD's own sign-in (docs/errors.md, "Continuing after
/// mfa_required"): the refusal's mfa_token, POST /mfa/continue, /authorize at the emulator with MFA, the code grant.
/// </summary>
public sealed class MfaContinuationTests(WaadBrowserFixture world) : IClassFixture<WaadBrowserFixture>, IAsyncLifetime
{
    private const string PasswordRealm = "http://auth0.com/oauth/grant-type/password-realm";

    public async Task InitializeAsync()
    {
        // The web app also signs users in by password (the app that meets mfa_required and continues it).
        var patched = await world.Tenant.Management.PatchAsJsonAsync($"clients/{world.WebClientId}",
            new { grant_types = new[] { "authorization_code", "refresh_token", PasswordRealm } });
        patched.EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_mfa_users_password_grant_gets_auth0s_mfa_required_with_an_mfa_token()
    {
        var refusal = await HttpAssert.OAuthErrorAsync(await PasswordAsync(DemoDirectory.MfaUser), 403, "mfa_required", "Multifactor authentication required");

        Assert.True(refusal.GetProperty("mfa_token").GetString()!.Length >= 40);
    }

    [Fact]
    public async Task An_mfa_token_continues_in_azures_browser_sign_in_with_mfa_as_the_attempted_user()
    {
        var upn = NewMfaUser("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7201", "mfa.continue@contoso.onmicrosoft.com");
        var continued = await ContinueAsync(await MfaTokenAsync(upn));
        var authorizeUrl = continued.GetProperty("authorize_url").GetString()!;
        Assert.Contains("login_hint=" + Uri.EscapeDataString(upn), authorizeUrl, StringComparison.Ordinal);
        Assert.Contains("connection=" + WaadBrowserFixture.V2Connection, authorizeUrl, StringComparison.Ordinal);

        using var browser = world.NewBrowser();
        var toAzure = await OpenAuthorizeAsync(browser, authorizeUrl);
        Assert.Contains("login_hint=" + Uri.EscapeDataString(upn), toAzure.Query, StringComparison.Ordinal);
        Assert.Contains("prompt=login", toAzure.Query, StringComparison.Ordinal);
        var mfaPage = await browser.SignInAtAzureAsync(await browser.OpenAsync(toAzure), upn);
        var answer = browser.AppAnswer(await browser.ReturnToGatehouseAsync(await browser.PassMfaAsync(mfaPage, upn)));
        var userId = WaadBrowserFixture.SubjectOf(await world.ExchangeAsync(answer["code"]));

        var user = Assert.Single(await world.UsersOfAsync(WaadBrowserFixture.V2Connection), u => u.UserId == userId);
        Assert.Equal(upn, user.Attributes!.Value.GetProperty("upn").GetString());
    }

    [Fact]
    public async Task Another_azure_account_finishing_the_continued_sign_in_is_refused_and_nothing_is_provisioned()
    {
        var upn = NewMfaUser("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7202", "mfa.other@contoso.onmicrosoft.com");
        var authorizeUrl = (await ContinueAsync(await MfaTokenAsync(upn))).GetProperty("authorize_url").GetString()!;

        using var browser = world.NewBrowser();
        var formPost = await browser.SignInAtAzureAsync(await browser.OpenAsync(await OpenAuthorizeAsync(browser, authorizeUrl)), DemoDirectory.Adele);
        var answer = browser.AppAnswer(await browser.ReturnToGatehouseAsync(formPost));

        Assert.False(answer.ContainsKey("code"));
        Assert.Equal("access_denied", answer["error"]);
        Assert.Equal(Server.Authorization.FederatedLogin.MfaAccountMismatchDescription, answer["error_description"]);
        Assert.Contains("[MfaAccountMismatch]", world.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(await world.UsersOfAsync(WaadBrowserFixture.V2Connection), u => u.Email == upn);
    }

    [Fact]
    public async Task A_replayed_mfa_token_is_refused_and_so_is_a_replayed_continuation()
    {
        var token = await MfaTokenAsync(DemoDirectory.MfaUser);
        var authorizeUrl = (await ContinueAsync(token)).GetProperty("authorize_url").GetString()!;

        await HttpAssert.OAuthErrorAsync(await PostContinueAsync(token, world.WebClientId, world.WebClientSecret), 403, "invalid_grant", "Malformed mfa_token");
        using var browser = world.NewBrowser();
        await OpenAuthorizeAsync(browser, authorizeUrl);
        var again = await browser.Gatehouse.GetAsync(AppAuthorize(authorizeUrl));
        Assert.Equal(HttpStatusCode.Found, again.StatusCode);
        var refused = BrowserTenant.Query(again.Headers.Location!);
        Assert.Equal("access_denied", refused["error"]);
    }

    [Fact]
    public async Task An_mfa_token_presented_by_another_client_is_refused_and_spent()
    {
        var token = await MfaTokenAsync(DemoDirectory.MfaUser);

        await HttpAssert.OAuthErrorAsync(await PostContinueAsync(token, world.Tenant.NativeClientId, null), 403, "invalid_grant",
            "The mfa_token was issued to another application.");
        await HttpAssert.OAuthErrorAsync(await PostContinueAsync(token, world.WebClientId, world.WebClientSecret), 403, "invalid_grant", "Malformed mfa_token");
    }

    [Fact]
    public async Task Continue_without_client_authentication_or_with_garbage_changes_nothing()
    {
        var token = await MfaTokenAsync(DemoDirectory.MfaUser);

        await HttpAssert.OAuthErrorAsync(await PostContinueAsync(token, world.WebClientId, "wrong-secret"), 401, "invalid_client");
        await HttpAssert.OAuthErrorAsync(await PostContinueAsync(new string('x', 300), world.WebClientId, world.WebClientSecret), 403, "invalid_grant");
        using var missing = await world.Server.Client.PostAsync("mfa/continue", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["client_id"] = world.WebClientId, ["client_secret"] = world.WebClientSecret }));
        await HttpAssert.OAuthErrorAsync(missing, 400, "invalid_request", "Missing required parameter: mfa_token");
        // The wrong secret did not spend the token.
        await HttpAssert.OkJsonAsync(await PostContinueAsync(token, world.WebClientId, world.WebClientSecret));
    }

    [Fact]
    public async Task Auth0s_own_mfa_api_says_the_factor_is_at_the_identity_provider()
    {
        using var challenge = await world.Server.Client.PostAsJsonAsync("mfa/challenge", new { mfa_token = "x", client_id = world.WebClientId });

        await HttpAssert.OAuthErrorAsync(challenge, 403, "unsupported_challenge_type", Server.Authentication.MfaEndpoints.FactorAtProviderDescription);
    }

    private string NewMfaUser(string id, string upn)
    {
        var mfaUser = world.Emulator.Directory.Seed.Users.Single(u => u.UserPrincipalName == DemoDirectory.MfaUser) with
        {
            Id = id, UserPrincipalName = upn, Password = DemoDirectory.PasswordOf(upn), Mail = null,
        };
        world.Emulator.Directory.UpsertUser(mfaUser);
        return upn;
    }

    private Task<HttpResponseMessage> PasswordAsync(string upn) => world.Tenant.TokenAsync(
        ("grant_type", PasswordRealm), ("client_id", world.WebClientId), ("client_secret", world.WebClientSecret),
        ("realm", WaadBrowserFixture.V2Connection), ("username", upn), ("password", DemoDirectory.PasswordOf(upn)), ("scope", "openid profile"));

    private async Task<string> MfaTokenAsync(string upn) =>
        (await HttpAssert.OAuthErrorAsync(await PasswordAsync(upn), 403, "mfa_required")).GetProperty("mfa_token").GetString()!;

    private async Task<JsonElement> ContinueAsync(string token) =>
        await HttpAssert.OkJsonAsync(await PostContinueAsync(token, world.WebClientId, world.WebClientSecret));

    private Task<HttpResponseMessage> PostContinueAsync(string token, string clientId, string? secret)
    {
        var form = new Dictionary<string, string> { ["mfa_token"] = token, ["client_id"] = clientId };
        if (secret is not null)
            form["client_secret"] = secret;
        return world.Server.Client.PostAsync("mfa/continue", new FormUrlEncodedContent(form));
    }

    /// <summary>The app adds its own response_type, callback and state to the authorize_url /mfa/continue gave.</summary>
    private static string AppAuthorize(string authorizeUrl) =>
        authorizeUrl + $"&response_type=code&redirect_uri={Uri.EscapeDataString(WaadBrowserFixture.AppCallback)}&state=app-state";

    private async Task<Uri> OpenAuthorizeAsync(AzureBrowser browser, string authorizeUrl)
    {
        var response = await browser.Gatehouse.GetAsync(AppAuthorize(authorizeUrl));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(world.Emulator.BaseUrl, location.AbsoluteUri, StringComparison.Ordinal);
        return location;
    }
}

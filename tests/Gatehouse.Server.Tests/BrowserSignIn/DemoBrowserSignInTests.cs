using System.Net;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Server.Tests.Login;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>
/// The --demo server's browser flow out of the box, as README's five minutes show it: the browser app's /authorize with
/// PKCE, the login page, and "Continue with Microsoft" on the emulator, for the database user and for the Azure AD user
/// whom the password grant refuses with mfa_required.
/// </summary>
public sealed class DemoBrowserSignInTests : IAsyncLifetime
{
    private GatehouseTestServer _server = null!;
    private JsonElement _demo;

    private string BrowserClientId => _demo.GetProperty("browser_client_id").GetString()!;
    private string Callback => _demo.GetProperty("browser_callback").GetString()!;
    private AzureAdEmulator Emulator => _server.Services.GetRequiredService<AzureAdEmulator>();
    private static string Pkce => $"&code_challenge={BrowserTenant.Challenge}&code_challenge_method=S256";

    public async Task InitializeAsync()
    {
        _server = await GatehouseTestServer.StartAsync(c => { c["Gatehouse:Demo"] = "true"; c["RateLimits:Enabled"] = "false"; });
        _demo = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_server.DataDir, DemoSeeder.DemoFileName))).RootElement;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_demo_user_signs_in_on_the_login_page_and_the_code_buys_tokens_with_the_verifier()
    {
        Assert.Equal(DemoSeeder.BrowserCallback, Callback);
        using var browser = new AzureBrowser(_server, Emulator, BrowserClientId, Callback);
        var login = await browser.AuthorizeAsync($"{Pkce}&audience={Uri.EscapeDataString(DemoSeeder.ApiAudience)}");
        Assert.StartsWith("/u/login?state=", login.OriginalString, StringComparison.Ordinal);
        var page = await browser.OpenAsync(new Uri(new Uri(_server.Issuer), login));
        Assert.Contains("Continue with Microsoft", page.Body, StringComparison.Ordinal);

        // Home realm discovery is on (contoso claims its domains): email first, then the password.
        var (email, password) = DemoSeeder.Users[0];
        var csrf = ("_csrf", Browser.CsrfToken(page.Body));
        var passwordStep = await Post(browser, login, csrf, ("username", email));
        Assert.Contains("type=\"password\"", passwordStep.Body, StringComparison.Ordinal);
        using var answer = await browser.Gatehouse.PostAsync(login, Form(csrf, ("username", email), ("password", password)));
        var code = browser.AppAnswer(answer)["code"];

        var tokens = await Exchange(code);
        var audiences = BrowserTenant.Payload(tokens.GetProperty("access_token").GetString()!).GetProperty("aud").EnumerateArray().Select(a => a.GetString());
        Assert.Contains(DemoSeeder.ApiAudience, audiences);
        Assert.Equal(email, BrowserTenant.Payload(tokens.GetProperty("id_token").GetString()!).GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_mfa_user_whom_the_password_grant_refuses_signs_in_through_microsoft_with_the_typed_email_as_hint()
    {
        var nativeClientId = _demo.GetProperty("native_client_id").GetString()!;
        var refused = await _server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "http://auth0.com/oauth/grant-type/password-realm", ["realm"] = DemoSeeder.BrowserWaadConnection,
            ["client_id"] = nativeClientId, ["username"] = DemoDirectory.MfaUser, ["password"] = DemoDirectory.PasswordOf(DemoDirectory.MfaUser),
            ["scope"] = "openid",
        }));
        await HttpAssert.OAuthErrorAsync(refused, 403, "mfa_required");

        using var browser = new AzureBrowser(_server, Emulator, BrowserClientId, Callback);
        var login = await browser.AuthorizeAsync(Pkce);
        var page = await browser.OpenAsync(new Uri(new Uri(_server.Issuer), login));
        var handOver = await Post(browser, login, ("_csrf", Browser.CsrfToken(page.Body)), ("username", DemoDirectory.MfaUser));
        var federated = System.Web.HttpUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(handOver.Body, "url=([^\"]+)\"").Groups[1].Value);
        var toAzure = await browser.OpenAsync(new Uri(new Uri(_server.Issuer), federated));
        Assert.StartsWith(Emulator.BaseUrl, toAzure.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(DemoDirectory.MfaUser, BrowserTenant.Query(toAzure.Location)["login_hint"]);

        var mfa = await browser.SignInAtAzureAsync(await browser.OpenAsync(toAzure.Location), DemoDirectory.MfaUser);
        var code = browser.AppAnswer(await browser.ReturnToGatehouseAsync(await browser.PassMfaAsync(mfa, DemoDirectory.MfaUser)))["code"];
        var subject = BrowserTenant.Payload((await Exchange(code)).GetProperty("id_token").GetString()!).GetProperty("sub").GetString()!;

        // The same Azure user through the password grant on the same connection (Adele has no MFA) gets the same user_id both ways.
        var adele = await browser.SignInAtAzureAsync(await browser.OpenAsync(await browser.ToAzureAsync(DemoSeeder.BrowserWaadConnection, Pkce + "&prompt=login")), DemoDirectory.Adele);
        var adeleBrowser = BrowserTenant.Payload((await Exchange(browser.AppAnswer(await browser.ReturnToGatehouseAsync(adele))["code"])).GetProperty("id_token").GetString()!);
        var adelePassword = await HttpAssert.OkJsonAsync(await _server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "http://auth0.com/oauth/grant-type/password-realm", ["realm"] = DemoSeeder.BrowserWaadConnection,
            ["client_id"] = nativeClientId, ["username"] = DemoDirectory.Adele, ["password"] = DemoDirectory.PasswordOf(DemoDirectory.Adele), ["scope"] = "openid",
        })));
        Assert.Equal(adeleBrowser.GetProperty("sub").GetString(), BrowserTenant.Payload(adelePassword.GetProperty("id_token").GetString()!).GetProperty("sub").GetString());
        Assert.StartsWith("waad|", subject, StringComparison.Ordinal);
        Assert.NotEqual(subject, adeleBrowser.GetProperty("sub").GetString());
    }

    private async Task<JsonElement> Exchange(string code) => await HttpAssert.OkJsonAsync(await _server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "authorization_code", ["client_id"] = BrowserClientId, ["code"] = code, ["redirect_uri"] = Callback,
        ["code_verifier"] = BrowserTenant.Verifier,
    })));

    private static async Task<AzureBrowser.Page> Post(AzureBrowser browser, Uri login, params (string Key, string Value)[] fields)
    {
        using var response = await browser.Gatehouse.PostAsync(login, Form(fields));
        return await AzureBrowser.Page.ReadAsync(response);
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
}

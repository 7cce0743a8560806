using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>
/// The protocol with the product's own pieces: the cookie SSO sessions and the hosted login page (merged from the
/// `login` branch). Proves /authorize, ISignInCompletion and the code grant meet them as the contracts say.
/// </summary>
public sealed partial class CookieSessionTests : IAsyncLifetime
{
    private BrowserTenant tenant = null!;

    public async Task InitializeAsync()
    {
        tenant = await BrowserTenant.StartAsync(null, productSessions: true);
        (await tenant.Tenant.Management.PatchAsJsonAsync($"connections/{tenant.Tenant.ConnectionId}",
            new { enabled_clients = new[] { tenant.Tenant.NativeClientId, tenant.PublicClientId } })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => tenant.DisposeAsync();

    [Fact]
    public async Task A_federated_login_starts_a_cookie_session_that_answers_prompt_none_until_logout()
    {
        using var browser = tenant.CookieBrowser();
        var first = BrowserTenant.Payload((await BrowserTenant.TokensAsync(await tenant.ExchangeAsync(
            tenant.AppResponse(await tenant.SignInAsync(browser, "cora"))["code"]))).GetProperty("id_token").GetString()!);

        var silent = tenant.AppResponse((await browser.GetAsync(tenant.AuthorizeUrl(("prompt", "none")))).Headers.Location!);
        var second = BrowserTenant.Payload((await BrowserTenant.TokensAsync(await tenant.ExchangeAsync(silent["code"]))).GetProperty("id_token").GetString()!);
        Assert.Equal(first.GetProperty("sid").GetString(), second.GetProperty("sid").GetString());
        Assert.Equal(first.GetProperty("sub").GetString(), second.GetProperty("sub").GetString());

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("v2/logout")).StatusCode);
        Assert.Equal("login_required", tenant.AppResponse((await browser.GetAsync(tenant.AuthorizeUrl(("prompt", "none")))).Headers.Location!)["error"]);
    }

    [Fact]
    public async Task A_database_user_signs_in_on_the_login_page_and_gets_the_password_path_user_id()
    {
        using var browser = tenant.CookieBrowser();
        var toPage = await browser.GetAsync(tenant.AuthorizeUrl(("connection", null)));
        Assert.Equal(HttpStatusCode.Redirect, toPage.StatusCode);
        var pageUrl = toPage.Headers.Location!.OriginalString.TrimStart('/');
        var page = await browser.GetAsync(pageUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csrf = CsrfField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.NotEmpty(csrf);

        var signedIn = await browser.PostAsync(pageUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_csrf"] = WebUtility.HtmlDecode(csrf), ["username"] = TestTenant.UserEmail, ["password"] = TestTenant.UserPassword,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var answer = tenant.AppResponse(signedIn.Headers.Location!);
        Assert.Equal("app-state-1", answer["state"]);
        var idToken = BrowserTenant.Payload((await BrowserTenant.TokensAsync(await tenant.ExchangeAsync(answer["code"]))).GetProperty("id_token").GetString()!);
        Assert.Equal(tenant.Tenant.UserId, idToken.GetProperty("sub").GetString());
        Assert.Contains(await tenant.Tenant.LogsOfTypeAsync("s"), l => l.UserId == tenant.Tenant.UserId && l.ConnectionName == TestTenant.Connection);
    }

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}

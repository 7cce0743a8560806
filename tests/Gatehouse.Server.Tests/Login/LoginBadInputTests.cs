using System.Net;
using System.Text;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Login;

/// <summary>Hostile input to the login page and logout: a plain error answer every time, never a 500, nothing signed in.</summary>
public sealed class LoginBadInputTests
{
    [Fact]
    public async Task Bad_input_gets_an_error_answer_never_a_500_and_signs_no_one_in()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        var state = await browser.AuthorizeAsync(world.WebClientId);
        var (_, html) = await browser.OpenLoginAsync(state);
        var token = Browser.CsrfToken(html);
        var escaped = Uri.EscapeDataString(state);

        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("two states", await browser.Http.GetAsync($"u/login?state={escaped}&state=other")),
            ("no state", await browser.Http.GetAsync("u/login")),
            ("huge state", await browser.Http.GetAsync("u/login?state=" + new string('a', 5000))),
            ("json body", await browser.Http.PostAsync($"u/login?state={escaped}", new StringContent("{\"username\":\"x\"}", Encoding.UTF8, "application/json"))),
            ("no body", await browser.Http.PostAsync($"u/login?state={escaped}", null)),
            ("huge username", await browser.PostLoginAsync(state, token, ("username", new string('a', 100_000) + "@example.com"), ("password", "x"))),
            ("huge password", await browser.PostLoginAsync(state, token, ("username", TestTenant.UserEmail), ("password", new string('p', 100_000)))),
            ("empty email", await browser.PostLoginAsync(state, token, ("username", "  "), ("password", "x"))),
            ("two tokens", await browser.Http.PostAsync($"u/login?state={escaped}", new FormUrlEncodedContent([KeyValuePair.Create("_csrf", token), KeyValuePair.Create("_csrf", token), KeyValuePair.Create("username", TestTenant.UserEmail), KeyValuePair.Create("password", TestTenant.UserPassword)]))),
            ("two returnTo", await browser.Http.GetAsync($"v2/logout?returnTo={Uri.EscapeDataString(LoginWorld.LogoutUrl)}&returnTo=x")),
            ("huge returnTo", await browser.Http.GetAsync("v2/logout?returnTo=https://app.example/" + new string('a', 5000))),
            ("relative returnTo", await browser.Http.GetAsync("v2/logout?returnTo=/signed-out")),
        };

        Assert.All(answers, a => Assert.True((int)a.Response.StatusCode is >= 400 and < 500, $"{a.What}: {(int)a.Response.StatusCode}"));
        Assert.All(answers, a => Assert.Null(a.Response.Headers.Location));
        Assert.Null(browser.SessionCookie);
        Assert.Empty(await world.Tenant.LogsOfTypeAsync("s"));
    }

    [Fact]
    public async Task Over_plain_http_the_login_page_says_it_needs_https()
    {
        await using var server = await GatehouseTestServer.StartAsync(c => c["urls"] = "http://127.0.0.1:0");
        var response = await server.Client.GetAsync("u/login?state=x");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("The login page is served over HTTPS only.", await response.Content.ReadAsStringAsync());
    }
}

using System.Net;
using Gatehouse.Core.Security;
using Gatehouse.Core.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Login;

/// <summary>GET /v2/logout: only allowed returnTo URLs, the session ended, slo/flo, federated through the provider.</summary>
public sealed class LogoutTests
{
    [Fact]
    public async Task Logout_ends_the_session_and_returns_to_an_allowed_url_with_slo()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        await browser.SignInAsync(world.WebClientId);
        var hash = Secrets.HashToken(browser.SessionCookie!);

        var response = await browser.Http.GetAsync($"v2/logout?client_id={world.WebClientId}&returnTo={Uri.EscapeDataString(LoginWorld.LogoutUrl)}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(LoginWorld.LogoutUrl, response.Headers.Location!.AbsoluteUri);
        Assert.Null(browser.SessionCookie);
        Assert.Null(await world.Server.Services.GetRequiredService<ISsoSessionStore>().GetAsync(hash, CancellationToken.None));
        var slo = Assert.Single(await world.Tenant.LogsOfTypeAsync("slo"));
        Assert.Equal(world.Tenant.UserId, slo.UserId);
        Assert.Equal(hash, slo.Details!.Value.GetProperty("session_id").GetString());
        var silent = await browser.Http.GetAsync($"authorize?response_type=code&client_id={world.WebClientId}&redirect_uri={Uri.EscapeDataString(LoginWorld.Callback)}&prompt=none");
        Assert.Contains("error=login_required", silent.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("https://app.example/signed-out/../../evil")]
    [InlineData("https://app.example/signed-out?next=https://evil.example")]
    [InlineData("https://APP.example/signed-out")]
    [InlineData("//evil.example")]
    public async Task An_unlisted_returnTo_gets_an_error_page_never_a_redirect_and_keeps_the_session(string returnTo)
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        await browser.SignInAsync(world.WebClientId);
        var cookie = browser.SessionCookie!;

        foreach (var query in new[] { $"client_id={world.WebClientId}&returnTo={Uri.EscapeDataString(returnTo)}", $"returnTo={Uri.EscapeDataString(returnTo)}" })
        {
            var response = await browser.Http.GetAsync("v2/logout?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("is not defined as a valid URL in &quot;Allowed Logout URLs&quot;", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(cookie, browser.SessionCookie);
        Assert.NotNull(await world.Server.Services.GetRequiredService<ISsoSessionStore>().GetAsync(Secrets.HashToken(cookie), CancellationToken.None));
        Assert.Equal(2, (await world.Tenant.LogsOfTypeAsync("flo")).Count);
        Assert.Empty(await world.Tenant.LogsOfTypeAsync("slo"));
    }

    [Fact]
    public async Task Without_client_id_the_tenants_list_applies_and_with_neither_the_signed_out_page_shows()
    {
        await using var world = await LoginWorld.StartAsync();
        await world.PatchTenantAsync(new { allowed_logout_urls = new[] { "https://portal.example/bye" } });
        using var browser = world.NewBrowser();

        var tenantListed = await browser.Http.GetAsync("v2/logout?returnTo=" + Uri.EscapeDataString("https://portal.example/bye"));
        Assert.Equal("https://portal.example/bye", tenantListed.Headers.Location!.AbsoluteUri);
        // The client's URL is not on the tenant's list.
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Http.GetAsync("v2/logout?returnTo=" + Uri.EscapeDataString(LoginWorld.LogoutUrl))).StatusCode);
        // client_id alone: the client's first allowed logout URL.
        Assert.Equal(LoginWorld.LogoutUrl, (await browser.Http.GetAsync("v2/logout?client_id=" + world.WebClientId)).Headers.Location!.AbsoluteUri);
        var page = await browser.Http.GetAsync("v2/logout");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("You are signed out", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Http.GetAsync("v2/logout?client_id=unknown")).StatusCode);
    }

    [Fact]
    public async Task Federated_logout_goes_through_the_providers_logout_when_the_session_used_its_connection()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        await browser.SignInAsync(world.WebClientId);
        var store = world.Server.Services.GetRequiredService<ISsoSessionStore>();
        var session = (await store.GetAsync(Secrets.HashToken(browser.SessionCookie!), CancellationToken.None))!;
        await store.UpdateAsync(session with { Connections = [.. session.Connections, LoginWorld.RedirectConnection] }, CancellationToken.None);

        var response = await browser.Http.GetAsync($"v2/logout?federated&client_id={world.WebClientId}&returnTo={Uri.EscapeDataString(LoginWorld.LogoutUrl)}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("https://idp.example/logout?post_logout_redirect_uri=" + Uri.EscapeDataString(LoginWorld.LogoutUrl), response.Headers.Location!.AbsoluteUri);
        Assert.Null(await store.GetAsync(session.Id, CancellationToken.None));
    }
}

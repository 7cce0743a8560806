using System.Net;
using Gatehouse.Server.Dashboard.Auth;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Security;

/// <summary>Every dashboard cookie is Secure, HttpOnly and SameSite=Strict whatever the scheme; plain http is refused.</summary>
public sealed class DashboardCookieTests
{
    [Fact]
    public async Task Dashboard_cookies_are_secure_http_only_and_same_site_strict()
    {
        await using var server = await GatehouseTestServer.StartAsync();
        var admin = FirstAdministrator.Read(Path.Combine(server.DataDir, Bootstrapper.BootstrapFileName))!;
        using var form = await SignInForm.OpenAsync(server);
        var signedIn = await form.PostAsync(admin.Email, admin.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var cookies = form.OpeningCookies.Concat(signedIn.Headers.GetValues("Set-Cookie")).ToList();
        Assert.Contains(cookies, c => c.StartsWith("gatehouse_dashboard_af=", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith("gatehouse_dashboard=", StringComparison.Ordinal));
        Assert.All(cookies, cookie =>
        {
            var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
            Assert.Contains("secure", attributes);
            Assert.Contains("httponly", attributes);
            Assert.Contains("samesite=strict", attributes);
            Assert.Contains("path=/dashboard", attributes);
        });
    }

    [Fact]
    public async Task Over_plain_http_the_dashboard_says_it_needs_https_and_sets_no_cookie()
    {
        await using var server = await GatehouseTestServer.StartAsync(c => c["urls"] = "http://127.0.0.1:0");
        foreach (var path in new[] { "dashboard/signin", "dashboard", "dashboard/assets/dashboard.css" })
        {
            var response = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("The dashboard is served over HTTPS only.", await response.Content.ReadAsStringAsync());
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.PostAsync("dashboard/signin", new FormUrlEncodedContent([]))).StatusCode);
    }
}

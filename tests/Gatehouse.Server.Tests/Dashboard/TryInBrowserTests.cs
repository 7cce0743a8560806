using System.Net;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Services;
using Gatehouse.Server.Tests.BrowserSignIn;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Dashboard;

/// <summary>
/// The dashboard's "Try in the browser" (docs/dashboard.md): an administrator starts a sign-in through the real
/// /authorize flow with the dashboard's own Try application and sees the profile and tokens on the callback page; and
/// every way to misuse the start, the callback or the Try application's client_id is refused.
/// </summary>
public sealed partial class TryInBrowserTests(BrowserTenant tenant) : IClassFixture<BrowserTenant>
{
    private GatehouseTestServer Server => tenant.Server;

    [Fact]
    public async Task An_administrator_signs_in_through_the_provider_and_sees_the_profile_and_tokens()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        var callback = await SignInThroughProviderAsync(admin, "ada");

        var page = await admin.Http.GetAsync(callback);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Success", html, StringComparison.Ordinal);
        var user = (await Server.Store.ListUsersAsync(new UserQuery(null, null, null, false, PageRequest.All), default)).Items.Single(u => u.Email == "ada@fake.example");
        Assert.Contains($"<dd id=\"user-id\">{HtmlEncoder.Default.Encode(user.UserId)}</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"user-connection\">" + BrowserTenant.FakeConnection + "</dd>", html, StringComparison.Ordinal);
        var client = (await Server.Services.GetRequiredService<TryClient>().FindAsync(default))!;
        Assert.Contains($"&quot;aud&quot;: &quot;{client.ClientId}&quot;", html, StringComparison.Ordinal); // the id_token's claims
        Assert.Contains("id=\"access-token-payload\"", html, StringComparison.Ordinal);

        // The exchange was the token endpoint's own: one seacft event for the Try application.
        Assert.Contains(await Server.LogsOfTypeAsync("seacft"), e => e.ClientId == client.ClientId && e.UserId == user.UserId);
    }

    [Fact]
    public async Task The_try_application_is_made_once_by_the_system_and_enabled_on_the_connection_by_the_administrator()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        await StartAsync(admin, BrowserTenant.FakeConnection);
        await StartAsync(admin, BrowserTenant.FakeConnection);

        var clients = (await Server.Store.ListClientsAsync(PageRequest.All, default)).Items.Where(TryClient.IsTryClient).ToList();
        var client = Assert.Single(clients);
        Assert.Equal(["authorization_code"], client.GrantTypes);
        Assert.Equal("client_secret_post", client.TokenEndpointAuthMethod);
        var connection = (await Server.Store.GetConnectionByNameAsync(BrowserTenant.FakeConnection, default))!;
        Assert.Contains(client.ClientId, connection.EnabledClients);

        var writes = await Server.LogsOfTypeAsync("sapi");
        Assert.Contains(writes, e => e.Description == "Create a client" && Auth(e).GetProperty("subject").GetString() == "dashboard-try");
        Assert.Contains(writes, e => e.Description == "Update enabled clients for a connection"
            && e.Details!.Value.GetProperty("request").GetProperty("path").GetString() == $"/api/v2/connections/{connection.Id}/clients"
            && Auth(e).GetProperty("user").GetProperty("email").GetString() == admin.Email);
    }

    [Fact]
    public async Task A_try_application_changed_through_the_Management_API_is_put_back_in_shape_on_the_next_start()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        await StartAsync(admin, BrowserTenant.FakeConnection);
        var client = (await Server.Services.GetRequiredService<TryClient>().FindAsync(default))!;
        using var patched = await tenant.Tenant.Management.PatchAsJsonAsync("clients/" + client.ClientId, new
        {
            grant_types = new[] { "authorization_code", "password", "refresh_token" }, token_endpoint_auth_method = "none", is_first_party = true,
            callbacks = new[] { "https://evil.example/cb" },
        });
        Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());

        await StartAsync(admin, BrowserTenant.FakeConnection);

        var repaired = (await Server.Store.GetClientAsync(client.ClientId, default))!;
        Assert.Equal(["authorization_code"], repaired.GrantTypes);
        Assert.Equal("client_secret_post", repaired.TokenEndpointAuthMethod);
        Assert.NotNull(repaired.ClientSecretProtected);
        Assert.Equal([Server.Issuer + "dashboard/try/callback"], repaired.Extra!.Value.GetProperty("callbacks").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task The_start_cookie_is_encrypted_lax_secure_http_only_and_only_for_the_callback()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        var start = await admin.PostFormAsync("dashboard/try", "dashboard/try?handler=Browser", new() { ["browser_connection"] = BrowserTenant.FakeConnection });
        var cookie = Assert.Single(start.Headers.GetValues("Set-Cookie"), c => c.StartsWith(TryStartCookie.Name + "=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("path=/dashboard/try/callback", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("max-age=600", attributes);
        var authorize = AuthorizeQuery(await HandOverTargetAsync(start));
        Assert.DoesNotContain(authorize["state"], cookie, StringComparison.Ordinal); // encrypted, not the state in clear
        Assert.Equal(("login", BrowserTenant.FakeConnection, "S256"), (authorize["prompt"], authorize["connection"], authorize["code_challenge_method"]));
    }

    [Fact]
    public async Task The_return_from_another_site_comes_again_from_the_dashboard_before_anything_is_used()
    {
        // A cross-site navigation carries no SameSite=Strict session cookie: the page sends the browser back to the same
        // URL from its own origin instead of to the sign-in page, and leaves the start cookie alone.
        using var admin = await DashboardSession.SignInAsync(Server);
        var callback = await SignInThroughProviderAsync(admin, "grace");
        var startCookie = admin.Cookies.GetCookies(callback).Single(c => c.Name == TryStartCookie.Name);
        using var crossSite = WithoutCookieJar();
        var request = new HttpRequestMessage(HttpMethod.Get, callback);
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        request.Headers.Add("Cookie", $"{startCookie.Name}={startCookie.Value}"); // Lax: sent; the Strict session cookie is not
        var bounced = await crossSite.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, bounced.StatusCode);
        Assert.False(bounced.Headers.Contains("Set-Cookie"));
        Assert.Equal(callback.PathAndQuery, await HandOverTargetAsync(bounced));

        // The same request from the dashboard's own origin without a session goes to the sign-in page.
        var sameOrigin = new HttpRequestMessage(HttpMethod.Get, callback);
        sameOrigin.Headers.Add("Sec-Fetch-Site", "same-origin");
        var refused = await crossSite.SendAsync(sameOrigin);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/dashboard/signin", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        // The administrator's own browser still finishes the sign-in.
        Assert.Contains("Success", await (await admin.Http.GetAsync(callback)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_out_callers_can_neither_start_nor_finish()
    {
        using var anonymous = tenant.CookieBrowser();
        var before = await tenant.Tenant.SnapshotAsync();
        var start = await anonymous.PostAsync("dashboard/try?handler=Browser", new FormUrlEncodedContent(new Dictionary<string, string> { ["browser_connection"] = BrowserTenant.FakeConnection }));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.StartsWith("/dashboard/signin", start.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var callback = await anonymous.GetAsync($"dashboard/try/callback?code=x&state=y&iss={Uri.EscapeDataString(Server.Issuer)}");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.StartsWith("/dashboard/signin", callback.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(before, await tenant.Tenant.SnapshotAsync());
    }

    [Fact]
    public async Task A_start_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        var before = await tenant.Tenant.SnapshotAsync();
        var start = await admin.Http.PostAsync("dashboard/try?handler=Browser", new FormUrlEncodedContent(new Dictionary<string, string> { ["browser_connection"] = BrowserTenant.FakeConnection }));
        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);
        Assert.False(start.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(TryStartCookie.Name, StringComparison.Ordinal)));
        Assert.Equal(before, await tenant.Tenant.SnapshotAsync());
    }

    [Fact]
    public async Task A_start_for_an_unknown_connection_is_named_beside_its_field_and_changes_nothing()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        var before = await tenant.Tenant.SnapshotAsync();
        var start = await admin.PostFormAsync("dashboard/try", "dashboard/try?handler=Browser", new() { ["browser_connection"] = "no-such-connection" });
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Contains("id=\"browser_connection-error\"", await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await tenant.Tenant.SnapshotAsync());
    }

    [Fact]
    public async Task A_callback_without_the_start_cookie_is_refused()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        var html = await (await admin.Http.GetAsync($"dashboard/try/callback?code=abc&state=abc&iss={Uri.EscapeDataString(Server.Issuer)}")).Content.ReadAsStringAsync();
        Assert.Contains("No sign-in is waiting in this browser", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Success", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_state_is_refused_and_spends_the_start()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        var callback = await SignInThroughProviderAsync(admin, "forged");
        var forged = callback.AbsoluteUri.Replace("state=", "state=x", StringComparison.Ordinal);
        Assert.Contains("The state does not match", await (await admin.Http.GetAsync(forged)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The start was single use: the genuine answer that follows finds nothing waiting.
        Assert.Contains("No sign-in is waiting in this browser", await (await admin.Http.GetAsync(callback)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_from_another_start_is_refused()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        var first = await SignInThroughProviderAsync(admin, "first");
        await StartAsync(admin, BrowserTenant.FakeConnection); // a new start replaces the first one's cookie
        Assert.Contains("The state does not match", await (await admin.Http.GetAsync(first)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mismatched_iss_is_refused()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        var callback = await SignInThroughProviderAsync(admin, "mixup");
        var other = Regex.Replace(callback.AbsoluteUri, "iss=[^&]*", "iss=" + Uri.EscapeDataString("https://other.example/"));
        var html = await (await admin.Http.GetAsync(other)).Content.ReadAsStringAsync();
        Assert.Contains("iss is not this Gatehouse", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Success", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_use_of_the_same_callback_is_refused_even_with_a_copy_of_the_cookie()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        var callback = await SignInThroughProviderAsync(admin, "twice");
        var copied = admin.Cookies.GetCookies(callback).Single(c => c.Name == TryStartCookie.Name).Value;
        Assert.Contains("Success", await (await admin.Http.GetAsync(callback)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Contains("No sign-in is waiting in this browser", await (await admin.Http.GetAsync(callback)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Whoever kept the cookie's value still meets a spent code.
        admin.Cookies.Add(callback, new Cookie(TryStartCookie.Name, copied, "/dashboard/try/callback"));
        var replay = await (await admin.Http.GetAsync(callback)).Content.ReadAsStringAsync();
        Assert.Contains("invalid_grant", replay, StringComparison.Ordinal);
        Assert.DoesNotContain("Success", replay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_from_the_sign_in_is_shown_in_plain_words()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        var toProvider = await StartAsync(admin, BrowserTenant.FakeConnection);
        var back = await admin.Http.GetAsync($"login/callback?state={Uri.EscapeDataString(BrowserTenant.Query(toProvider)["state"])}&error=consent_denied&error_description={Uri.EscapeDataString("The user declined")}");
        var html = await (await admin.Http.GetAsync(back.Headers.Location)).Content.ReadAsStringAsync();
        Assert.Contains("Failed", html, StringComparison.Ordinal);
        Assert.Contains("access_denied", html, StringComparison.Ordinal);
        Assert.Contains("The user declined</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_try_applications_client_id_gets_no_tokens_at_the_token_endpoint()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        await StartAsync(admin, BrowserTenant.FakeConnection);
        var client = (await Server.Services.GetRequiredService<TryClient>().FindAsync(default))!;

        // Without its secret, which never leaves the server, no grant authenticates: not even a code for the caller's own PKCE pair.
        foreach (var grant in new (string, string)[][]
        {
            [("grant_type", "password"), ("username", TestTenant.UserEmail), ("password", TestTenant.UserPassword)],
            [("grant_type", "client_credentials"), ("audience", TestTenant.ApiAudience)],
            [("grant_type", "authorization_code"), ("code", "c"), ("redirect_uri", Server.Issuer + "dashboard/try/callback"), ("code_verifier", BrowserTenant.Verifier)],
        })
            await HttpAssert.OAuthErrorAsync(await tenant.Tenant.TokenAsync([.. grant, ("client_id", client.ClientId)]), 401, "invalid_client");

        // And were the secret known, the application may still use no grant but the code.
        var secret = Server.Services.GetRequiredService<ClientAdmin>().RevealSecret(client)!;
        await HttpAssert.OAuthErrorAsync(await tenant.Tenant.TokenAsync(("grant_type", "password"), ("client_id", client.ClientId), ("client_secret", secret),
            ("username", TestTenant.UserEmail), ("password", TestTenant.UserPassword)), 403, "unauthorized_client");
        await HttpAssert.OAuthErrorAsync(await tenant.Tenant.TokenAsync(("grant_type", "client_credentials"), ("client_id", client.ClientId), ("client_secret", secret),
            ("audience", TestTenant.ApiAudience)), 403, "unauthorized_client");
    }

    [Fact]
    public async Task Authorize_with_the_try_application_and_another_redirect_uri_is_an_error_page()
    {
        using var admin = await DashboardSession.SignInAsync(Server);
        await StartAsync(admin, BrowserTenant.FakeConnection);
        var client = (await Server.Services.GetRequiredService<TryClient>().FindAsync(default))!;
        using var browser = tenant.CookieBrowser();
        foreach (var redirect in new[] { "https://evil.example/cb", Server.Issuer + "dashboard/try/callback/", Server.Issuer + "dashboard/try" })
        {
            var response = await browser.GetAsync(tenant.AuthorizeUrl(("client_id", client.ClientId), ("redirect_uri", redirect)));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("Callback URL mismatch.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>Posts the Try form's "Try in the browser" and follows the hand-over page to /authorize: the provider's URL.</summary>
    private async Task<Uri> StartAsync(DashboardSession admin, string connection)
    {
        var start = await admin.PostFormAsync("dashboard/try", "dashboard/try?handler=Browser", new() { ["browser_connection"] = connection });
        var toProvider = await admin.Http.GetAsync(await HandOverTargetAsync(start));
        Assert.Equal(HttpStatusCode.Redirect, toProvider.StatusCode);
        return toProvider.Headers.Location!;
    }

    /// <summary>Start, sign in as <paramref name="user"/> at the fake provider: the dashboard callback URL Gatehouse answers with.</summary>
    private async Task<Uri> SignInThroughProviderAsync(DashboardSession admin, string user)
    {
        var toProvider = await StartAsync(admin, BrowserTenant.FakeConnection);
        var back = await admin.Http.GetAsync($"login/callback?state={Uri.EscapeDataString(BrowserTenant.Query(toProvider)["state"])}&user={user}");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var location = back.Headers.Location!;
        Assert.StartsWith(Server.Issuer + "dashboard/try/callback?", location.AbsoluteUri, StringComparison.Ordinal);
        return location;
    }

    private static async Task<string> HandOverTargetAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var match = ContinueLink().Match(await response.Content.ReadAsStringAsync());
        Assert.True(match.Success, "no hand-over link");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>A browser whose cookies the test writes itself, following no redirects.</summary>
    private HttpClient WithoutCookieJar()
    {
        var handler = (SocketsHttpHandler)Server.CreateHandler();
        (handler.AllowAutoRedirect, handler.UseCookies) = (false, false);
        return new HttpClient(handler) { BaseAddress = new Uri(Server.Issuer) };
    }

    private Dictionary<string, string> AuthorizeQuery(string url) => BrowserTenant.Query(new Uri(new Uri(Server.Issuer), url));

    private static JsonElement Auth(LogEvent e) => e.Details!.Value.GetProperty("request").GetProperty("auth");

    [GeneratedRegex("<a id=\"continue\" href=\"([^\"]+)\"")]
    private static partial Regex ContinueLink();
}

using System.Net;
using Gatehouse.Core.Security;
using Gatehouse.Core.Sessions;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Login;

/// <summary>The hosted login page over real HTTPS: database sign-in, CSRF, clickjacking, fixation, HRD, errors.</summary>
public sealed class LoginPageTests
{
    [Fact]
    public async Task A_database_user_signs_in_on_the_page_and_the_app_gets_a_code_and_the_browser_a_session()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();

        var answer = await browser.SignInAsync(world.WebClientId);

        Assert.Equal(HttpStatusCode.Found, answer.StatusCode);
        var location = answer.Headers.Location!.AbsoluteUri;
        Assert.StartsWith(LoginWorld.Callback + "?code=", location, StringComparison.Ordinal);
        Assert.Contains("state=app-state", location, StringComparison.Ordinal);
        var cookie = browser.SessionCookie;
        Assert.NotNull(cookie);
        var session = await world.Server.Services.GetRequiredService<ISsoSessionStore>().GetAsync(Secrets.HashToken(cookie), CancellationToken.None);
        Assert.Equal(world.Tenant.UserId, session!.UserId);
        Assert.Equal([world.WebClientId], session.Clients);
        var login = Assert.Single(await world.Tenant.LogsOfTypeAsync("s"));
        Assert.Equal(world.Tenant.UserId, login.UserId);
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_secure_and_same_site_none()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        var answer = await browser.SignInAsync(world.WebClientId);

        var cookie = Assert.Single(answer.Headers.GetValues("Set-Cookie"), c => c.StartsWith("auth0=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("samesite=none", attributes);
        Assert.Contains("path=/", attributes);
    }

    [Fact]
    public async Task The_page_names_the_app_offers_the_database_form_and_a_button_per_redirect_connection_and_cannot_be_framed()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        var state = await browser.AuthorizeAsync(world.WebClientId);

        var (response, html) = await browser.OpenLoginAsync(state);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("Orders &amp; Co", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"username\">Email address</label>", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/login/federated?state={Uri.EscapeDataString(state)}&amp;connection=contoso\">Continue with Contoso</a>", html, StringComparison.Ordinal);
        // Home realm discovery is on (contoso claims a domain): the email comes first, no password field yet.
        Assert.DoesNotContain("type=\"password\"", html, StringComparison.Ordinal);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self' https://app.example;", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task An_unknown_transaction_gets_a_plain_error_page()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();

        var (response, html) = await browser.OpenLoginAsync("no-such-transaction");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("has expired or is not valid", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_post_without_or_with_a_foreign_anti_forgery_token_is_refused_and_signs_no_one_in()
    {
        await using var world = await LoginWorld.StartAsync();
        using var victim = world.NewBrowser();
        using var attacker = world.NewBrowser();
        var state = await victim.AuthorizeAsync(world.WebClientId);
        var (_, html) = await victim.OpenLoginAsync(state);
        var otherState = await victim.AuthorizeAsync(world.WebClientId);
        var (_, attackerHtml) = await attacker.OpenLoginAsync(state);
        var credentials = new[] { ("username", TestTenant.UserEmail), ("password", TestTenant.UserPassword) };

        var refused = new[]
        {
            await victim.PostLoginAsync(state, null, credentials),                                 // no token
            await victim.PostLoginAsync(state, "not-a-token", credentials),                        // garbage
            await victim.PostLoginAsync(otherState, Browser.CsrfToken(html), credentials),         // the token of another transaction
            await victim.PostLoginAsync(state, Browser.CsrfToken(attackerHtml), credentials),      // a token minted for another browser (login CSRF)
        };

        Assert.All(refused, r =>
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Null(r.Headers.Location);
        });
        Assert.Null(victim.SessionCookie);
        Assert.Empty(await world.Tenant.LogsOfTypeAsync("s"));
        // The right token still works: nothing was used up by the refusals.
        var answer = await victim.PostLoginAsync(state, Browser.CsrfToken(html), credentials);
        Assert.Equal(HttpStatusCode.Found, answer.StatusCode);
    }

    [Fact]
    public async Task A_planted_session_cookie_is_not_adopted_and_every_login_gets_a_new_session_id()
    {
        await using var world = await LoginWorld.StartAsync();
        var sessions = world.Server.Services.GetRequiredService<ISsoSessionStore>();

        // A value the attacker chose and planted: the login must not turn it into the victim's session.
        using var victim = world.NewBrowser();
        var planted = Secrets.RandomToken(32);
        victim.Cookies.Add(victim.BaseUri, new Cookie("auth0", planted, "/"));
        await victim.SignInAsync(world.WebClientId);
        var fresh = victim.SessionCookie!;
        Assert.NotEqual(planted, fresh);
        Assert.Null(await sessions.GetAsync(Secrets.HashToken(planted), CancellationToken.None));
        Assert.NotNull(await sessions.GetAsync(Secrets.HashToken(fresh), CancellationToken.None));

        // The attacker's own live session planted, then a login (prompt=login): a new id, the planted session ended.
        using var attacker = world.NewBrowser();
        await attacker.SignInAsync(world.WebClientId);
        var attackers = attacker.SessionCookie!;
        using var other = world.NewBrowser();
        other.Cookies.Add(other.BaseUri, new Cookie("auth0", attackers, "/"));
        var state = await other.AuthorizeAsync(world.WebClientId, "&prompt=login");
        var (_, html) = await other.OpenLoginAsync(state);
        await other.PostLoginAsync(state, Browser.CsrfToken(html), ("username", TestTenant.UserEmail), ("password", TestTenant.UserPassword));
        Assert.NotEqual(attackers, other.SessionCookie);
        Assert.Null(await sessions.GetAsync(Secrets.HashToken(attackers), CancellationToken.None));
        var silent = await attacker.Http.GetAsync($"authorize?response_type=code&client_id={world.WebClientId}&redirect_uri={Uri.EscapeDataString(LoginWorld.Callback)}&state=s&prompt=none");
        Assert.Contains("error=login_required", silent.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_passwords_on_the_page_are_counted_and_blocked_like_the_token_endpoint()
    {
        await using var world = await LoginWorld.StartAsync();
        (await world.Tenant.Management.PatchAsync("attack-protection/brute-force-protection",
            System.Net.Http.Json.JsonContent.Create(new { max_attempts = 3 }))).EnsureSuccessStatusCode();
        using var browser = world.NewBrowser();
        var state = await browser.AuthorizeAsync(world.WebClientId);
        var (_, html) = await browser.OpenLoginAsync(state);

        for (var i = 0; i < 3; i++)
        {
            var wrong = await browser.PostLoginAsync(state, Browser.CsrfToken(html), ("username", TestTenant.UserEmail), ("password", "wrong-" + i));
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            html = await wrong.Content.ReadAsStringAsync();
            Assert.Contains("role=\"alert\">Wrong email or password.</p>", html, StringComparison.Ordinal);
            // The log code never shows; the random anti-forgery token and state may contain "fp" by chance, so they are left out.
            var words = html.Replace(Browser.CsrfToken(html), "", StringComparison.Ordinal).Replace(Uri.EscapeDataString(state), "", StringComparison.Ordinal);
            Assert.DoesNotContain("fp", words.Replace("fp=", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        Assert.Equal(3, (await world.Tenant.LogsOfTypeAsync("fp")).Count);
        Assert.Single(await world.Tenant.LogsOfTypeAsync("limit_wc"));

        // Blocked now, on the page (the right password changes nothing) and at the token endpoint alike.
        var blocked = await browser.PostLoginAsync(state, Browser.CsrfToken(html), ("username", TestTenant.UserEmail), ("password", TestTenant.UserPassword));
        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        Assert.Contains("Too many failed attempts", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(browser.SessionCookie);
        await HttpAssert.OAuthErrorAsync(await world.Tenant.PasswordLoginAsync(), 429, "too_many_attempts");
    }

    [Fact]
    public async Task An_unknown_user_is_logged_fu_and_a_blocked_user_cannot_sign_in()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        var state = await browser.AuthorizeAsync(world.WebClientId);
        var (_, html) = await browser.OpenLoginAsync(state);

        var unknown = await browser.PostLoginAsync(state, Browser.CsrfToken(html), ("username", "nobody@example.com"), ("password", "whatever"));
        Assert.Contains("Wrong email or password.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await world.Tenant.LogsOfTypeAsync("fu"));

        (await world.Tenant.Management.PatchAsync($"users/{Uri.EscapeDataString(world.Tenant.UserId)}",
            System.Net.Http.Json.JsonContent.Create(new { blocked = true }))).EnsureSuccessStatusCode();
        var blocked = await browser.PostLoginAsync(state, Browser.CsrfToken(html), ("username", TestTenant.UserEmail), ("password", TestTenant.UserPassword));
        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        Assert.Contains("This account is blocked.", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(browser.SessionCookie);
        Assert.Contains(await world.Tenant.LogsOfTypeAsync("f"), e => e.UserId == world.Tenant.UserId);
    }

    [Fact]
    public async Task Home_realm_discovery_sends_a_claimed_domain_to_its_connection_and_others_to_the_password_step()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        var state = await browser.AuthorizeAsync(world.WebClientId);
        var (_, html) = await browser.OpenLoginAsync(state);

        var claimed = await browser.PostLoginAsync(state, Browser.CsrfToken(html), ("username", "Kim@CONTOSO.example"));
        var handOver = await claimed.Content.ReadAsStringAsync();
        var federated = $"/login/federated?state={Uri.EscapeDataString(state)}&amp;connection=contoso&amp;login_hint=Kim%40CONTOSO.example";
        Assert.Contains($"<meta http-equiv=\"refresh\" content=\"0;url={federated}\">", handOver, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"password\"", handOver, StringComparison.Ordinal);
        var upstream = await browser.Http.GetAsync(federated.Replace("&amp;", "&", StringComparison.Ordinal).TrimStart('/'));
        Assert.Equal(HttpStatusCode.Found, upstream.StatusCode);
        Assert.StartsWith("https://idp.example/authorize?state=", upstream.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);

        var other = await browser.PostLoginAsync(state, Browser.CsrfToken(html), ("username", TestTenant.UserEmail));
        var passwordStep = await other.Content.ReadAsStringAsync();
        Assert.Contains("type=\"password\"", passwordStep, StringComparison.Ordinal);
        Assert.Contains($"value=\"{TestTenant.UserEmail}\" readonly", passwordStep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_realm_discovery_passes_the_typed_email_to_the_provider_as_one_encoded_login_hint()
    {
        await using var world = await LoginWorld.StartAsync();
        using var browser = world.NewBrowser();
        var state = await browser.AuthorizeAsync(world.WebClientId, "&login_hint=app-hint%40contoso.example");
        var (_, html) = await browser.OpenLoginAsync(state);

        // Characters that would end the value or add a parameter stay inside login_hint, at every hop.
        const string typed = "kim&prompt=none\"<x>#@contoso.example";
        var claimed = await browser.PostLoginAsync(state, Browser.CsrfToken(html), ("username", "  " + typed + " "));
        var handOver = await claimed.Content.ReadAsStringAsync();
        var federated = $"/login/federated?state={Uri.EscapeDataString(state)}&connection=contoso&login_hint={Uri.EscapeDataString(typed)}";
        Assert.Contains($"content=\"0;url={federated.Replace("&", "&amp;", StringComparison.Ordinal)}\"", handOver, StringComparison.Ordinal);
        var upstream = (await browser.Http.GetAsync(federated.TrimStart('/'))).Headers.Location!;
        var query = System.Web.HttpUtility.ParseQueryString(upstream.Query);
        Assert.Equal(typed, query["login_hint"]);
        Assert.Null(query["prompt"]);

        // Without a typed email the app's own hint goes on; a hint too long or with a control character is not passed on.
        var own = await browser.Http.GetAsync($"login/federated?state={Uri.EscapeDataString(state)}&connection=contoso");
        Assert.Equal("app-hint@contoso.example", System.Web.HttpUtility.ParseQueryString(own.Headers.Location!.Query)["login_hint"]);
        foreach (var bad in new[] { new string('a', 321) + "@contoso.example", "kim\r\nSet-Cookie: x@contoso.example" })
        {
            var refused = await browser.Http.GetAsync($"login/federated?state={Uri.EscapeDataString(state)}&connection=contoso&login_hint={Uri.EscapeDataString(bad)}");
            Assert.Equal(HttpStatusCode.Found, refused.StatusCode);
            Assert.Equal("app-hint@contoso.example", System.Web.HttpUtility.ParseQueryString(refused.Headers.Location!.Query)["login_hint"]);
        }
    }

    [Fact]
    public async Task Branding_values_are_checked_and_encoded_so_a_script_or_a_javascript_logo_goes_nowhere()
    {
        await using var world = await LoginWorld.StartAsync();
        await world.PatchTenantAsync(new { friendly_name = "<script>alert(1)</script>\"><img src=x>", picture_url = "javascript:alert(1)" });
        using var browser = world.NewBrowser();
        var state = await browser.AuthorizeAsync(world.WebClientId);

        var (response, html) = await browser.OpenLoginAsync(state);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("img-src", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        await world.PatchTenantAsync(new { picture_url = "https://cdn.example/logo.png?a=1&b=\"2\"" });
        (response, html) = await browser.OpenLoginAsync(state);
        Assert.Contains("<img class=\"logo\" src=\"https://cdn.example/logo.png?a=1&amp;b=%222%22\"", html, StringComparison.Ordinal);
        Assert.Contains("img-src https://cdn.example;", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}

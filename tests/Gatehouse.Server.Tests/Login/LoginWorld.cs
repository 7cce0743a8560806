using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Login;

/// <summary>
/// A tenant for browser sign-in: the test tenant's database connection and user, a web app (authorization_code, a
/// callback, an allowed logout URL) and a redirect connection "contoso" (a fake provider) that claims contoso.example.
/// </summary>
internal sealed class LoginWorld : IAsyncDisposable
{
    public const string Callback = "https://app.example/callback";
    public const string LogoutUrl = "https://app.example/signed-out";
    public const string RedirectConnection = "contoso";
    public const string HomeRealmDomain = "contoso.example";

    private LoginWorld(TestTenant tenant, string webClientId)
    {
        Tenant = tenant;
        WebClientId = webClientId;
    }

    public TestTenant Tenant { get; }

    public GatehouseTestServer Server => Tenant.Server;

    public string WebClientId { get; }

    public static async Task<LoginWorld> StartAsync(TimeProvider? clock = null, Action<Dictionary<string, string?>>? configure = null)
    {
        var tenant = await TestTenant.StartAsync(configure, services =>
        {
            services.AddSingleton<IConnectionStrategy, FakeRedirectStrategy>();
            if (clock is not null)
                services.AddSingleton(clock);
        });
        var web = await tenant.PostAsync("clients", new
        {
            name = "Orders & Co",
            app_type = "regular_web",
            token_endpoint_auth_method = "client_secret_post",
            grant_types = new[] { "authorization_code", "refresh_token" },
            callbacks = new[] { Callback },
            allowed_logout_urls = new[] { LogoutUrl },
        });
        var webClientId = web.GetProperty("client_id").GetString()!;
        (await tenant.Management.PatchAsJsonAsync($"connections/{tenant.ConnectionId}", new { enabled_clients = new[] { tenant.NativeClientId, webClientId } })).EnsureSuccessStatusCode();
        await tenant.PostAsync("connections", new
        {
            name = RedirectConnection,
            strategy = FakeRedirectStrategy.Name,
            display_name = "Contoso",
            options = new { domains = new[] { HomeRealmDomain } },
            enabled_clients = new[] { webClientId },
        });
        return new LoginWorld(tenant, webClientId);
    }

    public Browser NewBrowser() => new(Server);

    public async Task PatchTenantAsync(object settings) =>
        (await Tenant.Management.PatchAsJsonAsync("tenants/settings", settings)).EnsureSuccessStatusCode();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>A browser: keeps cookies, follows no redirect, reads the login page's anti-forgery token.</summary>
internal sealed partial class Browser : IDisposable
{
    private readonly HttpClient _client;

    public Browser(GatehouseTestServer server)
    {
        var handler = (SocketsHttpHandler)server.CreateHandler();
        Cookies = new CookieContainer();
        handler.CookieContainer = Cookies;
        handler.AllowAutoRedirect = false;
        _client = new HttpClient(handler) { BaseAddress = new Uri(server.Issuer) };
        BaseUri = new Uri(server.Issuer);
    }

    public CookieContainer Cookies { get; }

    public Uri BaseUri { get; }

    public HttpClient Http => _client;

    /// <summary>The SSO session cookie's value, or null.</summary>
    public string? SessionCookie => Cookies.GetCookies(BaseUri)["auth0"]?.Value;

    /// <summary>/authorize for the web app; returns the login transaction id the browser was sent on with.</summary>
    public async Task<string> AuthorizeAsync(string clientId, string extra = "")
    {
        var response = await _client.GetAsync($"authorize?response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString(LoginWorld.Callback)}&state=app-state&scope=openid{extra}");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/u/login?state=", location, StringComparison.Ordinal);
        return Uri.UnescapeDataString(location["/u/login?state=".Length..]);
    }

    public async Task<(HttpResponseMessage Response, string Html)> OpenLoginAsync(string state)
    {
        var response = await _client.GetAsync("u/login?state=" + Uri.EscapeDataString(state));
        return (response, await response.Content.ReadAsStringAsync());
    }

    public static string CsrfToken(string html)
    {
        var token = CsrfField().Match(html).Groups[1].Value;
        Assert.NotEmpty(token);
        return token;
    }

    /// <summary>Posts the login form of <paramref name="state"/>, with the page's token unless <paramref name="csrf"/> says otherwise.</summary>
    public Task<HttpResponseMessage> PostLoginAsync(string state, string? csrf, params (string Name, string Value)[] fields)
    {
        var form = fields.ToDictionary(f => f.Name, f => f.Value);
        if (csrf is not null)
            form["_csrf"] = csrf;
        return _client.PostAsync("u/login?state=" + Uri.EscapeDataString(state), new FormUrlEncodedContent(form));
    }

    /// <summary>Authorize, open the page, sign in as the database user; returns the answer to the app.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string clientId, string email = TestTenant.UserEmail, string password = TestTenant.UserPassword)
    {
        var state = await AuthorizeAsync(clientId);
        var (_, html) = await OpenLoginAsync(state);
        return await PostLoginAsync(state, CsrfToken(html), ("username", email), ("password", password));
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}

/// <summary>A provider with its own sign-in page and logout (strategy "test-idp"): claims the email domains in options.domains.</summary>
internal sealed class FakeRedirectStrategy : IConnectionStrategy
{
    public const string Name = "test-idp";

    public string Strategy => Name;

    public IReadOnlyList<OptionProblem> Validate(JsonElement options) => [];

    public IConnection Create(Connection definition) => new FakeRedirectConnection(definition);

    private sealed class FakeRedirectConnection(Connection definition) : IRedirectConnection, IFederatedLogoutConnection
    {
        public Connection Definition => definition;

        public IReadOnlyCollection<string> HomeRealmDomains =>
            definition.Options.TryGetProperty("domains", out var domains) ? [.. domains.EnumerateArray().Select(d => d.GetString()!)] : [];

        public Task<Uri> BeginAsync(RedirectSignInStart start, CancellationToken ct) =>
            Task.FromResult(new Uri("https://idp.example/authorize?state=" + Uri.EscapeDataString(start.State)
                + (start.LoginHint is null ? "" : "&login_hint=" + Uri.EscapeDataString(start.LoginHint))));

        public Task<RedirectSignInResult> CompleteAsync(IReadOnlyDictionary<string, string> callback, RedirectSignInStart start, CancellationToken ct) =>
            Task.FromResult<RedirectSignInResult>(new RedirectSignInResult.Denied("access_denied", "not used here", null));

        public Uri LogoutUri(Uri? returnTo) =>
            new("https://idp.example/logout" + (returnTo is null ? "" : "?post_logout_redirect_uri=" + Uri.EscapeDataString(returnTo.AbsoluteUri)));
    }
}

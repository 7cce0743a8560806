using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Gatehouse.Server.Sessions;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>
/// A <see cref="TestTenant"/> set up for browser sign-in: a public native app and a confidential web app allowed the
/// authorization_code grant with registered callbacks, and a <c>fake-idp</c> connection enabled for both (and for the
/// tenant's native password client). Browsers are told apart by <see cref="TestSsoSessions.BrowserHeader"/>.
/// </summary>
public sealed class BrowserTenant : IAsyncLifetime
{
    public const string PublicCallback = "https://app.example/callback";
    public const string WebCallback = "https://web.example/signin-oidc";
    public const string FakeConnection = "fake-enterprise";
    public const string Verifier = "dBjftJeZ4CVP-mJ92K9qnyxrxuYUnkQoKzGxybKcW7E_x";

    public TestTenant Tenant { get; private set; } = null!;
    public string PublicClientId { get; private set; } = "";
    public string WebClientId { get; private set; } = "";
    public string WebClientSecret { get; private set; } = "";
    public string OtherWebClientId { get; private set; } = "";
    public string OtherWebClientSecret { get; private set; } = "";

    public GatehouseTestServer Server => Tenant.Server;

    public static string Challenge => Pkce.Challenge(Verifier);

    public async Task InitializeAsync() => await InitializeAsync(null);

    /// <param name="productSessions">Keep the product's cookie sessions instead of <see cref="TestSsoSessions"/>.</param>
    public static async Task<BrowserTenant> StartAsync(Action<Dictionary<string, string?>>? configure, bool productSessions = false)
    {
        var tenant = new BrowserTenant();
        await tenant.InitializeAsync(configure, productSessions);
        return tenant;
    }

    private async Task InitializeAsync(Action<Dictionary<string, string?>>? configure, bool productSessions = false)
    {
        Tenant = await TestTenant.StartAsync(configure, services =>
        {
            services.AddSingleton<IConnectionStrategy, FakeIdentityProviderStrategy>();
            if (!productSessions)
                services.AddSingleton<ISsoSessions, TestSsoSessions>();
        });
        var publicClient = await Tenant.PostAsync("clients", new
        {
            name = "Browser Native", app_type = "native", token_endpoint_auth_method = "none",
            grant_types = new[] { "authorization_code", "refresh_token" }, callbacks = new[] { PublicCallback, "http://127.0.0.1:7001/cb" },
        });
        PublicClientId = publicClient.GetProperty("client_id").GetString()!;
        var web = await Tenant.PostAsync("clients", new
        {
            name = "Browser Web", app_type = "regular_web", token_endpoint_auth_method = "client_secret_post",
            grant_types = new[] { "authorization_code", "refresh_token" }, callbacks = new[] { WebCallback },
        });
        (WebClientId, WebClientSecret) = (web.GetProperty("client_id").GetString()!, web.GetProperty("client_secret").GetString()!);
        var other = await Tenant.PostAsync("clients", new
        {
            name = "Other Web", app_type = "regular_web", token_endpoint_auth_method = "client_secret_post",
            grant_types = new[] { "authorization_code" }, callbacks = new[] { WebCallback },
        });
        (OtherWebClientId, OtherWebClientSecret) = (other.GetProperty("client_id").GetString()!, other.GetProperty("client_secret").GetString()!);
        await Tenant.PostAsync("connections", new
        {
            name = FakeConnection, strategy = FakeIdentityProviderStrategy.Name,
            enabled_clients = new[] { PublicClientId, WebClientId, OtherWebClientId, Tenant.NativeClientId },
        });
    }

    /// <summary>A browser without cookies that follows no redirects; <paramref name="name"/> is its SSO session.</summary>
    public HttpClient Browser(string name)
    {
        var handler = (SocketsHttpHandler)Server.CreateHandler();
        handler.AllowAutoRedirect = false;
        var client = new HttpClient(handler) { BaseAddress = new Uri(Server.Issuer) };
        client.DefaultRequestHeaders.Add(TestSsoSessions.BrowserHeader, name);
        return client;
    }

    /// <summary>A browser with a cookie jar (the product's session cookie) that follows no redirects.</summary>
    public HttpClient CookieBrowser()
    {
        var handler = (SocketsHttpHandler)Server.CreateHandler();
        handler.AllowAutoRedirect = false;
        handler.CookieContainer = new CookieContainer();
        return new HttpClient(handler) { BaseAddress = new Uri(Server.Issuer) };
    }

    /// <summary>The public client's /authorize URL (PKCE S256, offline_access for the tenant's API) with these parameters changed.</summary>
    public string AuthorizeUrl(params (string Name, string? Value)[] overrides)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = PublicClientId, ["redirect_uri"] = PublicCallback, ["state"] = "app-state-1",
            ["nonce"] = "n-0S6_WzA2Mj", ["scope"] = "openid profile offline_access", ["audience"] = TestTenant.ApiAudience,
            ["code_challenge"] = Challenge, ["code_challenge_method"] = "S256", ["connection"] = FakeConnection,
        };
        foreach (var (name, value) in overrides)
            parameters[name] = value;
        return "authorize?" + string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}"));
    }

    /// <summary>The whole browser leg through the fake provider: the app's callback URL with code (or error), state and iss.</summary>
    public async Task<Uri> SignInAsync(HttpClient browser, string user, params (string Name, string? Value)[] overrides)
    {
        var toProvider = await browser.GetAsync(AuthorizeUrl(overrides));
        Assert.Equal(HttpStatusCode.Redirect, toProvider.StatusCode);
        Assert.StartsWith(FakeIdentityProviderStrategy.ProviderHost, toProvider.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        var state = Query(toProvider.Headers.Location)["state"];
        var back = await browser.GetAsync($"login/callback?state={Uri.EscapeDataString(state)}&user={Uri.EscapeDataString(user)}");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        return back.Headers.Location!;
    }

    /// <summary>POST /oauth/token grant_type=authorization_code for the public client (or any client with these parameters).</summary>
    public Task<HttpResponseMessage> ExchangeAsync(string code, params (string Name, string? Value)[] overrides)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = PublicClientId, ["code"] = code, ["redirect_uri"] = PublicCallback, ["code_verifier"] = Verifier,
        };
        foreach (var (name, value) in overrides)
            parameters[name] = value;
        return Server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(parameters.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value!))));
    }

    public static Dictionary<string, string> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));

    /// <summary>Asserts an authorization response to <paramref name="callback"/> carrying iss = the issuer; returns its parameters.</summary>
    public Dictionary<string, string> AppResponse(Uri location, string callback = PublicCallback)
    {
        Assert.StartsWith(callback + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var parameters = Query(location);
        Assert.Equal(Server.Issuer, parameters["iss"]);
        return parameters;
    }

    public static async Task<JsonElement> TokensAsync(HttpResponseMessage response) => await HttpAssert.OkJsonAsync(response);

    public static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(Gatehouse.Core.Security.Base64Url.Decode(jwt.Split('.')[1])).RootElement.Clone();

    public T Service<T>() where T : notnull => Server.Services.GetRequiredService<T>();

    public async Task DisposeAsync() => await Tenant.DisposeAsync();
}

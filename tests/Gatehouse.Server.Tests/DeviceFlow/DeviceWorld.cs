using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Server.Tests.Login;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Server.Tests.DeviceFlow;

/// <summary>
/// A tenant for the device flow (<see cref="LoginWorld"/>'s database connection and user) with a fake clock, so
/// intervals and expiry are stepped, never slept: a native public "TV App" allowed the device code grant, and a
/// second one ("Other TV") to hold another client's code.
/// </summary>
internal sealed partial class DeviceWorld : IAsyncDisposable
{
    public const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";
    public const string AppName = "TV App";

    private DeviceWorld(LoginWorld login, FakeTimeProvider clock, string clientId, string otherClientId)
    {
        Login = login;
        Clock = clock;
        ClientId = clientId;
        OtherClientId = otherClientId;
    }

    public LoginWorld Login { get; }

    public TestTenant Tenant => Login.Tenant;

    public FakeTimeProvider Clock { get; }

    public string ClientId { get; }

    public string OtherClientId { get; }

    public static async Task<DeviceWorld> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var login = await LoginWorld.StartAsync(clock, configure);
        var tenant = login.Tenant;
        var client = await CreateClientAsync(tenant, AppName);
        var other = await CreateClientAsync(tenant, "Other TV");
        (await tenant.Management.PatchAsJsonAsync($"connections/{tenant.ConnectionId}",
            new { enabled_clients = new[] { tenant.NativeClientId, login.WebClientId, client, other } })).EnsureSuccessStatusCode();
        return new DeviceWorld(login, clock, client, other);
    }

    private static async Task<string> CreateClientAsync(TestTenant tenant, string name) =>
        (await tenant.PostAsync("clients", new
        {
            name, app_type = "native", token_endpoint_auth_method = "none", grant_types = new[] { DeviceGrant, "refresh_token" },
        })).GetProperty("client_id").GetString()!;

    /// <summary>POST /oauth/device/code for the TV app (offline_access for the test API) with these parameters changed.</summary>
    public Task<HttpResponseMessage> StartAsync(params (string Name, string? Value)[] overrides)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = ClientId, ["scope"] = "openid profile offline_access", ["audience"] = TestTenant.ApiAudience,
        };
        foreach (var (name, value) in overrides)
            parameters[name] = value;
        return Tenant.Server.Client.PostAsync("oauth/device/code",
            new FormUrlEncodedContent(parameters.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value!))));
    }

    public async Task<(string DeviceCode, string UserCode)> StartOkAsync(params (string Name, string? Value)[] overrides)
    {
        var body = await HttpAssert.OkJsonAsync(await StartAsync(overrides));
        return (body.GetProperty("device_code").GetString()!, body.GetProperty("user_code").GetString()!);
    }

    public Task<HttpResponseMessage> PollAsync(string deviceCode, string? clientId = null) => Tenant.TokenAsync(
        ("grant_type", DeviceGrant), ("device_code", deviceCode), ("client_id", clientId ?? ClientId));

    /// <summary>Moves the clock past the polling interval.</summary>
    public void WaitInterval() => Clock.Advance(TimeSpan.FromSeconds(5));

    /// <summary>GET /activate[?user_code=]: the visit's id from the redirect to /u/device.</summary>
    public static async Task<string> OpenActivationAsync(HttpClient browser, string? userCode = null)
    {
        var response = await browser.GetAsync("activate" + (userCode is null ? "" : "?user_code=" + Uri.EscapeDataString(userCode)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/u/device?state=", location, StringComparison.Ordinal);
        return Uri.UnescapeDataString(location["/u/device?state=".Length..]);
    }

    public static async Task<(HttpResponseMessage Response, string Html)> PageAsync(HttpClient browser, string visit)
    {
        var response = await browser.GetAsync("u/device?state=" + Uri.EscapeDataString(visit));
        return (response, await response.Content.ReadAsStringAsync());
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient browser, string visit, string? csrf, params (string Name, string Value)[] fields)
    {
        var form = fields.ToDictionary(f => f.Name, f => f.Value);
        if (csrf is not null)
            form["_csrf"] = csrf;
        return browser.PostAsync("u/device?state=" + Uri.EscapeDataString(visit), new FormUrlEncodedContent(form));
    }

    /// <summary>Types the code and confirms: the response to Confirm (a redirect to the login page or a provider).</summary>
    public static async Task<HttpResponseMessage> ConfirmAsync(HttpClient browser, string userCode)
    {
        var visit = await OpenActivationAsync(browser);
        var (_, html) = await PageAsync(browser, visit);
        var confirm = await PostAsync(browser, visit, Browser.CsrfToken(html), ("action", "code"), ("user_code", userCode));
        var confirmHtml = await confirm.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains(AppName, confirmHtml, StringComparison.Ordinal);
        return await PostAsync(browser, visit, Browser.CsrfToken(confirmHtml), ("action", "confirm"));
    }

    /// <summary>
    /// Types the code and confirms for a pre-set connection with its own sign-in page: Gatehouse answers a page that
    /// refreshes to the federated start (a 302 from the form would break its CSP form-action in a browser); following
    /// it, the provider's sign-in URL.
    /// </summary>
    public static async Task<Uri> ConfirmToProviderAsync(HttpClient browser, string userCode)
    {
        var confirmed = await ConfirmAsync(browser, userCode);
        var html = await confirmed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var refresh = RefreshTarget().Match(html);
        Assert.True(refresh.Success, html);
        var start = await browser.GetAsync(System.Net.WebUtility.HtmlDecode(refresh.Groups[1].Value).TrimStart('/'));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        return start.Headers.Location!;
    }

    [GeneratedRegex("<meta http-equiv=\"refresh\" content=\"0;url=([^\"]+)\">")]
    private static partial Regex RefreshTarget();

    /// <summary>Activates the code as the database user on the hosted login page; the last page's HTML.</summary>
    public async Task<string> ActivateAsDatabaseUserAsync(Browser browser, string userCode)
    {
        var toLogin = await ConfirmAsync(browser.Http, userCode);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var location = toLogin.Headers.Location!.OriginalString;
        Assert.StartsWith("/u/login?state=", location, StringComparison.Ordinal);
        var state = Uri.UnescapeDataString(location["/u/login?state=".Length..]);
        var (_, html) = await browser.OpenLoginAsync(state);
        var done = await browser.PostLoginAsync(state, Browser.CsrfToken(html), ("username", TestTenant.UserEmail), ("password", TestTenant.UserPassword));
        var doneHtml = await done.Content.ReadAsStringAsync();
        Assert.True(done.StatusCode == HttpStatusCode.OK, doneHtml);
        return doneHtml;
    }

    [GeneratedRegex("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$")]
    public static partial Regex UserCodeFormat();

    public static JsonElement Payload(string jwt) => BrowserSignIn.BrowserTenant.Payload(jwt);

    public ValueTask DisposeAsync() => Login.DisposeAsync();
}

using System.Net;
using System.Text.RegularExpressions;
using System.Web;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>
/// One browser across two sites, Gatehouse and the Azure AD emulator: a cookie jar each (both are 127.0.0.1, and a
/// cookie jar keys on the host alone), no automatic redirects, and the emulator's pages driven by their documented
/// form fields (the emulator's README, Browser sign-in): <c>loginForm</c> (login, passwd), <c>mfaForm</c> (otc),
/// <c>consentForm</c> (action accept or cancel), and the form_post page that carries Azure's answer to /login/callback.
/// </summary>
public sealed partial class AzureBrowser : IDisposable
{
    private readonly (GatehouseTestServer Server, AzureAdEmulator Emulator, string WebClientId, string Callback) _world;
    private readonly HttpClient _gatehouse;
    private readonly HttpClient _azure;

    public AzureBrowser(WaadBrowserFixture world) : this(world.Server, world.Emulator, world.WebClientId, WaadBrowserFixture.AppCallback)
    {
    }

    /// <summary>A browser for any Gatehouse and emulator pair (the --demo server's, for one), signing in to this client and callback.</summary>
    public AzureBrowser(GatehouseTestServer server, AzureAdEmulator emulator, string clientId, string callback)
    {
        _world = (server, emulator, clientId, callback);
        var gatehouse = (SocketsHttpHandler)server.CreateHandler();
        gatehouse.AllowAutoRedirect = false;
        gatehouse.CookieContainer = new CookieContainer();
        _gatehouse = new HttpClient(gatehouse) { BaseAddress = new Uri(server.Issuer) };
        var azure = (SocketsHttpHandler)emulator.CreateTrustingHandler();
        azure.AllowAutoRedirect = false;
        azure.CookieContainer = new CookieContainer();
        _azure = new HttpClient(azure) { BaseAddress = new Uri(emulator.BaseUrl) };
    }

    public HttpClient Gatehouse => _gatehouse;

    /// <summary>The web app's /authorize (response_type=code, its callback, state app-state) with extra query text.</summary>
    public async Task<Uri> AuthorizeAsync(string extra)
    {
        var response = await _gatehouse.GetAsync(
            $"authorize?response_type=code&client_id={_world.WebClientId}&redirect_uri={Uri.EscapeDataString(_world.Callback)}&state=app-state&scope=openid%20profile{extra}");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>/authorize?connection= straight to Azure AD: the URL Gatehouse sent the browser to.</summary>
    public async Task<Uri> ToAzureAsync(string connection, string extra = "")
    {
        var azure = await AuthorizeAsync($"&connection={connection}{extra}");
        Assert.StartsWith(_world.Emulator.BaseUrl, azure.AbsoluteUri, StringComparison.Ordinal);
        return azure;
    }

    public async Task<Page> OpenAsync(Uri url)
    {
        using var response = await (IsAzure(url) ? _azure : _gatehouse).GetAsync(url);
        return await Page.ReadAsync(response);
    }

    /// <summary>Posts the page's form (its action, flowToken and canary) with these fields.</summary>
    public async Task<Page> SubmitAsync(Page page, params (string Key, string Value)[] fields)
    {
        var form = page.Hidden().Concat(fields).Select(f => KeyValuePair.Create(f.Key, f.Value));
        var action = new Uri(new Uri(_world.Emulator.BaseUrl), page.FormAction());
        using var response = await (IsAzure(action) ? _azure : _gatehouse).PostAsync(action, new FormUrlEncodedContent(form));
        return await Page.ReadAsync(response);
    }

    public Task<Page> SignInAtAzureAsync(Page page, string user) =>
        SubmitAsync(page, ("login", user), ("passwd", DemoDirectory.PasswordOf(user)), ("action", "signin"));

    /// <summary>The emulator's MFA page answered with the code its admin API holds for the user.</summary>
    public Task<Page> PassMfaAsync(Page page, string user)
    {
        Assert.Contains("id=\"mfaForm\"", page.Body, StringComparison.Ordinal);
        var code = _world.Emulator.PendingMfaCode(user);
        Assert.NotNull(code);
        return SubmitAsync(page, ("otc", code), ("action", "verify"));
    }

    /// <summary>Azure's form_post page: the form it would submit to Gatehouse's /login/callback.</summary>
    public static (Uri Action, List<(string Key, string Value)> Fields) FormPost(Page page)
    {
        Assert.True(page.Status == HttpStatusCode.OK, $"expected Azure's form_post page, got {(int)page.Status}: {page.Body}");
        var action = FormPostAction().Match(page.Body);
        Assert.True(action.Success, "no form_post form: " + page.Body);
        return (new Uri(HttpUtility.HtmlDecode(action.Groups[1].Value)), page.Hidden().ToList());
    }

    /// <summary>Submits Azure's form_post page to Gatehouse (as its script does): Gatehouse's answer to the browser.</summary>
    public Task<HttpResponseMessage> ReturnToGatehouseAsync(Page formPostPage)
    {
        var (action, fields) = FormPost(formPostPage);
        return PostToGatehouseAsync(action, fields);
    }

    public Task<HttpResponseMessage> PostToGatehouseAsync(Uri action, IEnumerable<(string Key, string Value)> fields)
    {
        Assert.StartsWith(_world.Server.Issuer + "login/callback", action.AbsoluteUri, StringComparison.Ordinal);
        return _gatehouse.PostAsync(action, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))));
    }

    /// <summary>
    /// The whole browser sign-in of <paramref name="user"/> through <paramref name="connection"/>: Gatehouse → Azure's
    /// sign-in page (and MFA page, when Azure asks) → Azure's form_post → /login/callback; the app's callback parameters.
    /// </summary>
    public async Task<Dictionary<string, string>> SignInAsync(string connection, string user)
    {
        var page = await SignInAtAzureAsync(await OpenAsync(await ToAzureAsync(connection)), user);
        if (page.Body.Contains("id=\"mfaForm\"", StringComparison.Ordinal))
            page = await PassMfaAsync(page, user);
        return AppAnswer(await ReturnToGatehouseAsync(page));
    }

    /// <summary>Gatehouse's redirect to the app's callback: its parameters (code or error, state, iss).</summary>
    public Dictionary<string, string> AppAnswer(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Found, $"expected a redirect to the app, got {(int)response.StatusCode}");
        var location = response.Headers.Location!;
        Assert.StartsWith(_world.Callback + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var parameters = BrowserTenant.Query(location);
        Assert.Equal(("app-state", _world.Server.Issuer), (parameters["state"], parameters["iss"]));
        return parameters;
    }

    private bool IsAzure(Uri url) => url.AbsoluteUri.StartsWith(_world.Emulator.BaseUrl, StringComparison.Ordinal);

    public void Dispose()
    {
        _gatehouse.Dispose();
        _azure.Dispose();
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\">")]
    private static partial Regex FormPostAction();

    public sealed partial record Page(HttpStatusCode Status, string Body, Uri? Location)
    {
        public static async Task<Page> ReadAsync(HttpResponseMessage response) =>
            new(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);

        public string FormAction() => HttpUtility.HtmlDecode(ActionRegex().Match(Body).Groups[1].Value);

        public IEnumerable<(string Key, string Value)> Hidden() =>
            HiddenRegex().Matches(Body).Select(m => (m.Groups[1].Value, HttpUtility.HtmlDecode(m.Groups[2].Value)));

        [GeneratedRegex("<form[^>]*action=\"([^\"]*)\"")]
        private static partial Regex ActionRegex();

        [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
        private static partial Regex HiddenRegex();
    }
}

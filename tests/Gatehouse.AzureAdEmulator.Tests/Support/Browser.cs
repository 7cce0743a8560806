using System.Net;
using System.Security.Cryptography;
using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;

namespace Gatehouse.AzureAd.Emulator.Tests.Support;

/// <summary>
/// A cookie-keeping HttpClient that walks the emulator's sign-in pages like a browser would (GET the page, POST the
/// form with its flowToken and canary), without following redirects so the code can be read from Location.
/// </summary>
public sealed partial class Browser : IDisposable
{
    public const string WebRedirect = "https://localhost:44321/login/callback";
    private readonly HttpClient _http;

    public Browser(AzureAdEmulator emulator)
    {
        var handler = (SocketsHttpHandler)emulator.CreateTrustingHandler();
        handler.AllowAutoRedirect = false;
        handler.UseCookies = true;
        handler.CookieContainer = Cookies;
        _http = new HttpClient(handler) { BaseAddress = new Uri(emulator.BaseUrl), Timeout = TimeSpan.FromSeconds(20) };
    }

    public CookieContainer Cookies { get; } = new();

    public static string AuthorizeUrl(
        string version = "2.0", string clientId = DemoDirectory.ConfidentialAppId, string redirectUri = WebRedirect,
        string? scope = "openid profile offline_access User.Read", string? resource = null, string state = "st-123",
        string nonce = "n-456", string? challenge = null, string? method = "S256", string tenant = DemoDirectory.TenantDomain,
        params (string Key, string Value)[] extra)
    {
        var path = version == "1.0" ? $"{tenant}/oauth2/authorize" : $"{tenant}/oauth2/v2.0/authorize";
        var q = new List<(string, string)>
        {
            ("client_id", clientId), ("response_type", "code"), ("redirect_uri", redirectUri), ("state", state), ("nonce", nonce),
        };
        if (scope is not null) q.Add(("scope", scope));
        if (resource is not null) q.Add(("resource", resource));
        if (challenge is not null)
        {
            q.Add(("code_challenge", challenge));
            if (method is not null) q.Add(("code_challenge_method", method));
        }
        q.AddRange(extra);
        return path + "?" + string.Join('&', q.Select(kv => $"{Uri.EscapeDataString(kv.Item1)}={Uri.EscapeDataString(kv.Item2)}"));
    }

    public async Task<Page> GetAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        return await Page.ReadAsync(response);
    }

    /// <summary>Posts the page's form (its action, flowToken and canary) with these fields.</summary>
    public async Task<Page> SubmitAsync(Page page, params (string Key, string Value)[] fields)
    {
        var form = page.Hidden().Concat(fields).Select(f => new KeyValuePair<string, string>(f.Key, f.Value));
        using var response = await _http.PostAsync(page.FormAction(), new FormUrlEncodedContent(form));
        return await Page.ReadAsync(response);
    }

    public Task<Page> SignInAsync(Page page, string user, string? password = null) =>
        SubmitAsync(page, ("login", user), ("passwd", password ?? DemoDirectory.PasswordOf(user)), ("action", "signin"));

    /// <summary>Authorize, then the sign-in form: the answer after the password.</summary>
    public async Task<Page> AuthorizeAndSignInAsync(string url, string user, string? password = null)
    {
        var page = await GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return await SignInAsync(page, user, password);
    }

    public async Task<string> CodeAsync(string url, string user)
    {
        var answer = await AuthorizeAndSignInAsync(url, user);
        return answer.RedirectParameter("code")!;
    }

    public void Dispose() => _http.Dispose();

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public sealed partial record Page(HttpStatusCode Status, string Body, Uri? Location)
    {
        public static async Task<Page> ReadAsync(HttpResponseMessage response) =>
            new(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);

        public string FormAction() => HttpUtility.HtmlDecode(ActionRegex().Match(Body).Groups[1].Value);

        public IEnumerable<(string Key, string Value)> Hidden() =>
            HiddenRegex().Matches(Body).Select(m => (m.Groups[1].Value, HttpUtility.HtmlDecode(m.Groups[2].Value)));

        public string HiddenValue(string name) => Hidden().First(h => h.Key == name).Value;

        /// <summary>A parameter of the redirect (query or fragment) to the app.</summary>
        public string? RedirectParameter(string name)
        {
            Assert.True(Status == HttpStatusCode.Found, $"expected a redirect, got {(int)Status}: {Body}");
            var part = Location!.Fragment.Length > 0 ? Location.Fragment[1..] : Location.Query.TrimStart('?');
            return HttpUtility.ParseQueryString(part)[name];
        }

        [GeneratedRegex("<form[^>]*action=\"([^\"]*)\"")]
        private static partial Regex ActionRegex();

        [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
        private static partial Regex HiddenRegex();
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Gatehouse.Bench.Load.Load;

namespace Gatehouse.Bench.Load.Suite;

/// <summary>
/// One whole browser login of the database user, as a browser and its app do it: GET /authorize (code + PKCE S256) →
/// GET the login page (its anti-forgery cookie and token) → POST the form → the 302 to the app's callback, whose code
/// → POST /oauth/token with the verifier. No session cookie is ever sent back, so every login is a fresh one. The
/// server sees HTTPS through X-Forwarded-Proto from a known proxy (the login page's cookies are Secure-only), as
/// behind a TLS-terminating proxy.
/// </summary>
public static partial class BrowserLogin
{
    public const string Callback = "http://127.0.0.1/bench-callback";

    public static Operation For(string clientId, string realm, string email, string password, string audience)
    {
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = $"authorize?response_type=code&client_id={Uri.EscapeDataString(clientId)}&redirect_uri={Uri.EscapeDataString(Callback)}"
            + $"&scope=openid%20profile%20email&audience={Uri.EscapeDataString(audience)}&connection={Uri.EscapeDataString(realm)}"
            + $"&state=bench&code_challenge={challenge}&code_challenge_method=S256";
        return async (http, ct) =>
        {
            using var toLogin = await SendAsync(http, HttpMethod.Get, authorize, null, null, ct);
            if (toLogin.StatusCode != HttpStatusCode.Found || toLogin.Headers.Location?.OriginalString is not { } login)
                return $"authorize: HTTP {(int)toLogin.StatusCode}";

            using var page = await SendAsync(http, HttpMethod.Get, login, null, null, ct);
            var html = await page.Content.ReadAsStringAsync(ct);
            var csrf = CsrfField().Match(html);
            var cookie = page.Headers.TryGetValues("Set-Cookie", out var cookies)
                ? cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith("gatehouse_login_af=", StringComparison.Ordinal))
                : null;
            if (page.StatusCode != HttpStatusCode.OK || !csrf.Success || cookie is null)
                return $"login page: HTTP {(int)page.StatusCode}";

            using var form = new FormUrlEncodedContent([new("_csrf", WebUtility.HtmlDecode(csrf.Groups[1].Value)), new("username", email), new("password", password)]);
            using var toApp = await SendAsync(http, HttpMethod.Post, login, form, cookie, ct);
            var code = toApp.Headers.Location is { } back && back.OriginalString.StartsWith(Callback + "?", StringComparison.Ordinal)
                ? CodeParameter().Match(back.OriginalString) : null;
            if (toApp.StatusCode != HttpStatusCode.Found || code is not { Success: true })
                return $"login form: HTTP {(int)toApp.StatusCode}";

            using var exchange = new FormUrlEncodedContent(
            [
                new("grant_type", "authorization_code"), new("client_id", clientId), new("code", Uri.UnescapeDataString(code.Groups[1].Value)),
                new("redirect_uri", Callback), new("code_verifier", verifier),
            ]);
            using var tokens = await SendAsync(http, HttpMethod.Post, "oauth/token", exchange, null, ct);
            var body = await tokens.Content.ReadAsStringAsync(ct);
            return tokens.StatusCode == HttpStatusCode.OK && body.Contains("\"id_token\"", StringComparison.Ordinal) ? null : $"code exchange: HTTP {(int)tokens.StatusCode}";
        };
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, HttpContent? content, string? cookie, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (cookie is not null)
            request.Headers.Add("Cookie", cookie);
        return http.SendAsync(request, ct);
    }

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]*)\"")]
    private static partial Regex CsrfField();

    [GeneratedRegex("[?&]code=([^&]*)")]
    private static partial Regex CodeParameter();
}

using System.Net;
using System.Text.RegularExpressions;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Security;

/// <summary>The sign-in page opened once (its anti-forgery cookie and token), then posted to as a browser would.</summary>
internal sealed partial class SignInForm : IDisposable
{
    private readonly HttpClient client;
    private readonly string token;

    private SignInForm(HttpClient client, string token, IReadOnlyList<string> openingCookies)
    {
        this.client = client;
        this.token = token;
        OpeningCookies = openingCookies;
    }

    /// <summary>The Set-Cookie headers of the GET that opened the form.</summary>
    public IReadOnlyList<string> OpeningCookies { get; }

    public static async Task<SignInForm> OpenAsync(GatehouseTestServer server)
    {
        var handler = (SocketsHttpHandler)server.CreateHandler();
        handler.CookieContainer = new CookieContainer();
        handler.AllowAutoRedirect = false;
        var client = new HttpClient(handler) { BaseAddress = new Uri(server.Issuer) };
        var page = await client.GetAsync("dashboard/signin");
        page.EnsureSuccessStatusCode();
        var token = TokenField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.NotEmpty(token);
        return new SignInForm(client, token, [.. page.Headers.GetValues("Set-Cookie")]);
    }

    public Task<HttpResponseMessage> PostAsync(string email, string password) =>
        client.PostAsync("dashboard/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["__RequestVerificationToken"] = token,
        }));

    public void Dispose() => client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

using System.Net;
using System.Text.RegularExpressions;
using Gatehouse.Server.Dashboard.Auth;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.Tests.Infrastructure;

/// <summary>A browser signed in to the dashboard as the first administrator: opens pages and posts their forms.</summary>
internal sealed partial class DashboardSession : IDisposable
{
    private readonly HttpClient client;

    private DashboardSession(HttpClient client, CookieContainer cookies, string email)
    {
        this.client = client;
        Cookies = cookies;
        Email = email;
    }

    /// <summary>The browser itself (its cookies, no redirects followed), for requests that are not form posts.</summary>
    public HttpClient Http => client;

    public CookieContainer Cookies { get; }

    /// <summary>The signed-in administrator's email.</summary>
    public string Email { get; }

    public static async Task<DashboardSession> SignInAsync(GatehouseTestServer server)
    {
        var admin = FirstAdministrator.Read(Path.Combine(server.DataDir, Bootstrapper.BootstrapFileName))!;
        var handler = (SocketsHttpHandler)server.CreateHandler();
        handler.CookieContainer = new CookieContainer();
        handler.AllowAutoRedirect = false;
        var session = new DashboardSession(new HttpClient(handler) { BaseAddress = new Uri(server.Issuer) }, handler.CookieContainer, admin.Email);
        var signedIn = await session.PostFormAsync("dashboard/signin", "dashboard/signin", new() { ["email"] = admin.Email, ["password"] = admin.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return session;
    }

    /// <summary>The page's HTML as the signed-in administrator sees it.</summary>
    public Task<string> GetStringAsync(string page) => client.GetStringAsync(page);

    /// <summary>Opens <paramref name="page"/> for its anti-forgery token, then posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, string action, Dictionary<string, string> fields)
    {
        var opened = await client.GetAsync(page);
        opened.EnsureSuccessStatusCode();
        var token = TokenField().Match(await opened.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.NotEmpty(token);
        return await client.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
    }

    /// <summary>Opens a page as the signed-in administrator.</summary>
    public Task<HttpResponseMessage> GetAsync(string page) => client.GetAsync(page);

    /// <summary>Posts a form with no anti-forgery token, as a cross-site page would.</summary>
    public Task<HttpResponseMessage> PostWithoutTokenAsync(string action, Dictionary<string, string> fields) =>
        client.PostAsync(action, new FormUrlEncodedContent(fields));

    public void Dispose() => client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

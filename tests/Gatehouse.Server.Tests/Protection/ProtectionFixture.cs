using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Server.Tests.Protection;

/// <summary>
/// Gatehouse and the Azure AD emulator over loopback: a database connection and a waad connection to the emulator's
/// tenant, a public native app, a confidential backend trusted for <c>auth0-forwarded-for</c> and one that is not.
/// Rate limits are off so they never answer for attack protection. Tests vary the end user's IP through the trusted
/// backend, so each test has its own addresses and users.
/// </summary>
public class ProtectionFixture : IAsyncLifetime
{
    public const string Db = "prot-db";
    public const string Waad = "prot-waad";
    public const string Password = "Corr3ct-Horse!";

    public AzureAdEmulator Emulator { get; private set; } = null!;
    public GatehouseTestServer Server { get; private set; } = null!;
    public HttpClient Management { get; private set; } = null!;
    public string NativeClientId { get; private set; } = "";
    public (string Id, string Secret) Trusted { get; private set; }
    public (string Id, string Secret) Untrusted { get; private set; }

    /// <summary>Gatehouse's clock, when the fixture replaces it (<see cref="ClockedProtectionFixture"/>).</summary>
    public FakeTimeProvider? Time { get; protected init; }

    public async Task InitializeAsync()
    {
        Emulator = await AzureAdEmulator.StartAsync();
        Server = await GatehouseTestServer.StartAsync(c =>
        {
            c["AzureAd:AuthorityUrl"] = Emulator.BaseUrl;
            c["AzureAd:GraphUrl"] = Emulator.MicrosoftGraphBaseUrl;
            c["AzureAd:AadGraphUrl"] = Emulator.AadGraphBaseUrl;
            c["AzureAd:TrustedCaFile"] = Emulator.CaCertificatePath;
            c["RateLimits:Enabled"] = "false";
        }, services =>
        {
            if (Time is not null)
                services.AddSingleton<TimeProvider>(Time);
        });
        Management = await Server.CreateManagementClientAsync();
        NativeClientId = (await PostAsync("clients", new
        {
            name = "Protection Native", app_type = "native",
            grant_types = new[] { GrantTypes.Password, GrantTypes.PasswordRealm, GrantTypes.LegacyRo },
        })).GetProperty("client_id").GetString()!;
        Trusted = Credentials(await PostAsync("clients", new
        {
            name = "Protection Backend", app_type = "regular_web", is_token_endpoint_ip_header_trusted = true,
            grant_types = new[] { GrantTypes.PasswordRealm },
        }));
        Untrusted = Credentials(await PostAsync("clients", new { name = "Untrusted Backend", app_type = "regular_web", grant_types = new[] { GrantTypes.PasswordRealm } }));
        string[] enabled = [NativeClientId, Trusted.Id, Untrusted.Id];
        await PostAsync("connections", new { name = Db, strategy = "auth0", enabled_clients = enabled });
        await PostAsync("connections", new
        {
            name = Waad, strategy = "waad", enabled_clients = enabled,
            options = new { tenant_domain = DemoDirectory.TenantDomain, client_id = DemoDirectory.NativeAppId, app_id = DemoDirectory.WebApiAppIdUri },
        });
    }

    private static (string, string) Credentials(JsonElement client) =>
        (client.GetProperty("client_id").GetString()!, client.GetProperty("client_secret").GetString()!);

    public Task<JsonElement> PostAsync(string path, object body) => Management.PostCreatedAsync(path, body);

    /// <summary>A database user with <see cref="Password"/>; returns its user_id.</summary>
    public async Task<string> AddUserAsync(string email) =>
        (await PostAsync("users", new { connection = Db, email, password = Password, email_verified = true })).GetProperty("user_id").GetString()!;

    /// <summary>password-realm through the trusted backend as end user <paramref name="ip"/> (auth0-forwarded-for).</summary>
    public Task<HttpResponseMessage> LoginAsync(string realm, string username, string password, string ip) =>
        SendAsync(Trusted.Id, Trusted.Secret, realm, username, password, ip);

    public async Task<HttpResponseMessage> SendAsync(string clientId, string? secret, string realm, string username, string password, string? forwardedFor)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.PasswordRealm, ["client_id"] = clientId, ["realm"] = realm,
            ["username"] = username, ["password"] = password, ["scope"] = "openid",
        };
        if (secret is not null)
            form["client_secret"] = secret;
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token") { Content = new FormUrlEncodedContent(form) };
        if (forwardedFor is not null)
            request.Headers.Add("auth0-forwarded-for", forwardedFor);
        return await Server.Client.SendAsync(request);
    }

    public async Task<JsonElement> PatchSettingsAsync(string kind, object body) =>
        await HttpAssert.OkJsonAsync(await Management.PatchAsJsonAsync("attack-protection/" + kind, body));

    /// <summary>Auth0's defaults again (tests that change settings call it first and last).</summary>
    public async Task ResetSettingsAsync()
    {
        await PatchSettingsAsync("brute-force-protection", new
        {
            enabled = true, shields = new[] { "block", "user_notification" }, allowlist = Array.Empty<string>(), mode = "count_per_identifier_and_ip", max_attempts = 10,
        });
        await PatchSettingsAsync("suspicious-ip-throttling", new
        {
            enabled = true, shields = new[] { "admin_notification", "block" }, allowlist = Array.Empty<string>(),
            stage = new Dictionary<string, object>
            {
                ["pre-login"] = new { max_attempts = 100, rate = 864000 },
                ["pre-user-registration"] = new { max_attempts = 50, rate = 1728000 },
            },
        });
    }

    /// <summary>A Management API client whose token holds exactly <paramref name="scopes"/>.</summary>
    public Task<HttpClient> ManagementWithScopesAsync(params string[] scopes) => Server.ManagementWithScopesAsync(Management, scopes);

    public Task<IReadOnlyList<LogEvent>> LogsAsync(string type) => Server.LogsOfTypeAsync(type);

    public async Task DisposeAsync()
    {
        Management.Dispose();
        await Server.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>The same with Gatehouse on a fake clock (the emulator keeps the real one).</summary>
public sealed class ClockedProtectionFixture : ProtectionFixture
{
    public ClockedProtectionFixture() => Time = new FakeTimeProvider(DateTimeOffset.UtcNow);
}

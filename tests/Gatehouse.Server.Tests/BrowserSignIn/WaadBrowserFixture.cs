using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>
/// Gatehouse on loopback HTTPS pointed at the in-process Azure AD emulator (as <see cref="Security.WaadUpstreamFixture"/>),
/// with the product's cookie sessions, a regular web app (authorization_code, a callback, an allowed logout URL), and
/// waad connections on the emulator's Web app registration (Gatehouse Backend, reply URL https://127.0.0.1/login/callback
/// on any port): v2 and v1, both enabled for the web app and for the test tenant's native password client, plus one
/// on an unconsented Web app. The emulator's browser pages are driven by <see cref="AzureBrowser"/>. Every log line
/// the server writes is captured (<see cref="Logs"/>), for the tests that look for a leaked code or secret.
/// </summary>
public sealed class WaadBrowserFixture : IAsyncLifetime
{
    public const string V2Connection = "contoso-web";
    public const string V1Connection = "contoso-web-v1";
    public const string UnconsentedConnection = "contoso-unconsented";
    public const string AppCallback = "https://orders.example/callback";
    public const string LogoutUrl = "https://orders.example/signed-out";
    public const string UnconsentedWebAppId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e88";
    public const string UnconsentedWebSecret = "unconsented-web-secret-not-for-production";

    public AzureAdEmulator Emulator { get; private set; } = null!;
    public TestTenant Tenant { get; private set; } = null!;
    public GatehouseTestServer Server => Tenant.Server;
    public string WebClientId { get; private set; } = "";
    public string WebClientSecret { get; private set; } = "";
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>One clock for the emulator and Gatehouse when set (device-flow tests step intervals instead of sleeping).</summary>
    public TimeProvider? Clock { get; init; }

    public async Task InitializeAsync()
    {
        Emulator = await AzureAdEmulator.StartAsync(new EmulatorOptions { TimeProvider = Clock });
        Emulator.Directory.UpsertApp(new SeedApp
        {
            AppId = UnconsentedWebAppId, TenantId = DemoDirectory.TenantId, DisplayName = "Orders Web (unconsented)",
            RedirectUris = [.. DemoDirectory.WebRedirectUris],
            Secrets = [new SeedSecret { Value = UnconsentedWebSecret, ExpiresAt = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero) }],
            RequiredResourceAccess = [new SeedPermission { Resource = "https://graph.microsoft.com", Scopes = ["User.Read"] }],
        });
        Tenant = await TestTenant.StartAsync(c =>
        {
            c["AzureAd:AuthorityUrl"] = Emulator.BaseUrl;
            c["AzureAd:GraphUrl"] = Emulator.MicrosoftGraphBaseUrl;
            c["AzureAd:AadGraphUrl"] = Emulator.AadGraphBaseUrl;
            c["AzureAd:TrustedCaFile"] = Emulator.CaCertificatePath;
            c["RateLimits:Enabled"] = "false";
        }, services =>
        {
            if (Clock is not null)
                services.AddSingleton(Clock);
            services.AddSingleton<ILoggerProvider>(Logs);
            services.PostConfigure<LoggerFilterOptions>(o =>
            {
                o.Rules.Clear();
                o.MinLevel = LogLevel.Trace;
                o.Rules.Add(new LoggerFilterRule("Console", null, LogLevel.None, null)); // the capture is the point
            });
        });
        var web = await Tenant.PostAsync("clients", new
        {
            name = "Orders Web", app_type = "regular_web", token_endpoint_auth_method = "client_secret_post",
            grant_types = new[] { "authorization_code", "refresh_token" }, callbacks = new[] { AppCallback }, allowed_logout_urls = new[] { LogoutUrl },
        });
        (WebClientId, WebClientSecret) = (web.GetProperty("client_id").GetString()!, web.GetProperty("client_secret").GetString()!);
        await CreateWaadAsync(V2Connection, new
        {
            client_id = DemoDirectory.ConfidentialAppId, client_secret = DemoDirectory.ConfidentialSecret, tenant_domain = DemoDirectory.TenantDomain,
            domain_aliases = new[] { "contoso.com" }, ext_groups = true, ext_profile = true,
        });
        await CreateWaadAsync(V1Connection, new
        {
            client_id = DemoDirectory.ConfidentialAppId, client_secret = DemoDirectory.ConfidentialSecret, tenant_domain = DemoDirectory.TenantDomain,
            identity_api = "azure-active-directory-v1.0", app_id = "https://graph.microsoft.com", ext_groups = true, ext_profile = true,
        });
        await CreateWaadAsync(UnconsentedConnection, new
        {
            client_id = UnconsentedWebAppId, client_secret = UnconsentedWebSecret, tenant_domain = DemoDirectory.TenantDomain,
        });
    }

    private Task<JsonElement> CreateWaadAsync(string name, object options) =>
        Tenant.PostAsync("connections", new { name, strategy = "waad", enabled_clients = new[] { WebClientId, Tenant.NativeClientId }, options });

    public AzureBrowser NewBrowser() => new(this);

    /// <summary>The password-realm grant of the test tenant's native client: the password path to compare with.</summary>
    public Task<HttpResponseMessage> PasswordLoginAsync(string realm, string username) => Tenant.TokenAsync(
        ("grant_type", "http://auth0.com/oauth/grant-type/password-realm"), ("client_id", Tenant.NativeClientId), ("realm", realm),
        ("username", username), ("password", DemoDirectory.PasswordOf(username)), ("scope", "openid profile email"));

    /// <summary>The web app's code exchange; returns the token response.</summary>
    public async Task<JsonElement> ExchangeAsync(string code) => await HttpAssert.OkJsonAsync(await Tenant.TokenAsync(
        ("grant_type", "authorization_code"), ("client_id", WebClientId), ("client_secret", WebClientSecret), ("code", code), ("redirect_uri", AppCallback)));

    public static string SubjectOf(JsonElement tokens) => BrowserTenant.Payload(tokens.GetProperty("id_token").GetString()!).GetProperty("sub").GetString()!;

    public async Task<IReadOnlyList<User>> UsersOfAsync(string connectionName)
    {
        var connection = (await Server.Store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), CancellationToken.None)).Items
            .Single(c => c.Name == connectionName);
        return (await Server.Store.ListUsersAsync(new UserQuery(null, null, null, false, PageRequest.All), CancellationToken.None)).Items
            .Where(u => u.ConnectionId == connection.Id).ToList();
    }

    public async Task DisposeAsync()
    {
        await Tenant.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

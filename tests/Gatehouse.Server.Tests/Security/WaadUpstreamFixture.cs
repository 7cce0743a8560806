using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Security;

/// <summary>
/// Gatehouse pointed at the Azure AD emulator through the operator settings (AzureAd:*Url), and a second emulated
/// tenant, Fabrikam, whose user Mallory has the mail address of Contoso's Adele. <see cref="MultiTenantAppId"/> is a
/// public multi-tenant app registration of Contoso that users of both tenants can sign in through.
/// </summary>
public sealed class WaadUpstreamFixture : IAsyncLifetime
{
    public const string FabrikamTenantId = "6f1e2d3c-4b5a-4e6f-9a8b-7c6d5e4f3a2b";
    public const string FabrikamDomain = "fabrikam.onmicrosoft.com";
    public const string FabrikamVerifiedDomain = "fabrikam.com";
    public const string Mallory = "mallory@fabrikam.com";
    public const string MalloryPassword = "P@ssw0rd-mallory";
    public const string MultiTenantAppId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e77";

    public AzureAdEmulator Emulator { get; private set; } = null!;
    public TestTenant Tenant { get; private set; } = null!;
    public GatehouseTestServer Server => Tenant.Server;
    public HttpClient Management => Tenant.Management;

    public async Task InitializeAsync()
    {
        Emulator = await AzureAdEmulator.StartAsync();
        Emulator.Directory.UpsertTenant(new SeedTenant
        {
            Id = FabrikamTenantId, DisplayName = "Fabrikam", DefaultDomain = FabrikamDomain, VerifiedDomains = [FabrikamVerifiedDomain],
        });
        Emulator.Directory.UpsertApp(new SeedApp
        {
            AppId = MultiTenantAppId, TenantId = DemoDirectory.TenantId, DisplayName = "Gatehouse Multi-tenant", PublicClient = true,
            SignInAudience = SignInAudiences.MultipleOrgs,
            RequiredResourceAccess = [new SeedPermission { Resource = "https://graph.microsoft.com", Scopes = ["User.Read"], ConsentGranted = true }],
        });
        Emulator.Directory.UpsertUser(new SeedUser
        {
            Id = "6f1e2d3c-4b5a-4e6f-9a8b-000000000001", TenantId = FabrikamTenantId, UserPrincipalName = Mallory, Password = MalloryPassword,
            DisplayName = "Mallory", Mail = DemoDirectory.Adele, // any Fabrikam admin can set any mail address
        });
        Tenant = await TestTenant.StartAsync(c =>
        {
            c["AzureAd:AuthorityUrl"] = Emulator.BaseUrl;
            c["AzureAd:GraphUrl"] = Emulator.MicrosoftGraphBaseUrl;
            c["AzureAd:AadGraphUrl"] = Emulator.AadGraphBaseUrl;
            c["AzureAd:TrustedCaFile"] = Emulator.CaCertificatePath;
            c["RateLimits:Enabled"] = "false";
        });
    }

    /// <summary>Creates a waad connection enabled for the test's native app; returns its id.</summary>
    public async Task<string> CreateWaadAsync(string name, object options) =>
        (await Tenant.PostAsync("connections", new { name, strategy = "waad", enabled_clients = new[] { Tenant.NativeClientId }, options }))
        .GetProperty("id").GetString()!;

    public Task<HttpResponseMessage> LoginAsync(string realm, string username, string password) => Tenant.TokenAsync(
        ("grant_type", "http://auth0.com/oauth/grant-type/password-realm"), ("client_id", Tenant.NativeClientId), ("realm", realm),
        ("username", username), ("password", password), ("scope", "openid profile email"));

    public async Task<IReadOnlyList<User>> UsersOfAsync(string connectionId) =>
        (await Server.Store.ListUsersAsync(new UserQuery(null, null, null, false, PageRequest.All), CancellationToken.None)).Items
        .Where(u => u.ConnectionId == connectionId).ToList();

    public async Task<JsonElement> StoredOptionsAsync(string connectionId) =>
        (await Server.Store.GetConnectionAsync(connectionId, CancellationToken.None))!.Options;

    public async Task DisposeAsync()
    {
        await Tenant.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>
/// A loopback listener that never accepts: a connection made to it waits in the backlog, so <see cref="WasContacted"/>
/// says, without timing, whether anything connected to it since it started.
/// </summary>
public sealed class UntouchedListener : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);

    public UntouchedListener() => listener.Start();

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public bool WasContacted => listener.Pending();

    public void Dispose() => listener.Stop();
}

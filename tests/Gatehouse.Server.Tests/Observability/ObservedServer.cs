using System.Net;
using System.Net.Sockets;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Observability;

/// <summary>
/// A tenant with a metrics listener on its own loopback port and a waad connection to the emulator whose name is
/// unique to this fixture, so measurements of other tests running at the same time (the Meter is process-wide)
/// never count under its label.
/// </summary>
public sealed class ObservedServer : IAsyncLifetime
{
    public const string Password = "Observed-Pw-1";
    public const string User = "observed.user@" + DemoDirectory.TenantDomain;

    public string Connection { get; } = "observed-" + Guid.NewGuid().ToString("N")[..8];
    public AzureAdEmulator Emulator { get; private set; } = null!;
    public TestTenant Tenant { get; private set; } = null!;
    public int MetricsPort { get; private set; }
    public HttpClient Metrics { get; } = new();

    public async Task InitializeAsync()
    {
        Emulator = await AzureAdEmulator.StartAsync();
        Emulator.Directory.UpsertUser(new SeedUser
        {
            Id = Guid.NewGuid().ToString(), TenantId = DemoDirectory.TenantId, UserPrincipalName = User, Password = Password, DisplayName = "Observed",
        });
        MetricsPort = FreeLoopbackPort();
        Tenant = await TestTenant.StartAsync(c =>
        {
            c["AzureAd:AuthorityUrl"] = Emulator.BaseUrl;
            c["AzureAd:GraphUrl"] = Emulator.MicrosoftGraphBaseUrl;
            c["AzureAd:AadGraphUrl"] = Emulator.AadGraphBaseUrl;
            c["AzureAd:TrustedCaFile"] = Emulator.CaCertificatePath;
            c["RateLimits:Enabled"] = "false";
            c["Observability:MetricsUrls"] = $"http://127.0.0.1:{MetricsPort}";
        });
        Metrics.BaseAddress = new Uri($"http://127.0.0.1:{MetricsPort}/");
        await Tenant.PostAsync("connections", new
        {
            name = Connection,
            strategy = "waad",
            enabled_clients = new[] { Tenant.NativeClientId },
            options = new { tenant_domain = DemoDirectory.TenantDomain, app_id = "https://graph.microsoft.com", client_id = DemoDirectory.NativeAppId, ext_profile = true },
        });
    }

    public Task<HttpResponseMessage> LoginAsync(string password) => Tenant.TokenAsync(
        ("grant_type", "http://auth0.com/oauth/grant-type/password-realm"), ("client_id", Tenant.NativeClientId), ("realm", Connection),
        ("username", User), ("password", password), ("scope", "openid"));

    /// <summary>A scrape collected after every earlier request: it waits out the exporter's response cache first.</summary>
    public async Task<string> ScrapeAsync()
    {
        await Task.Delay(Hosting.Observability.ScrapeCacheMilliseconds + 100);
        using var response = await Metrics.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task DisposeAsync()
    {
        Metrics.Dispose();
        await Tenant.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    /// <summary>A port the kernel just handed out and nothing holds now (Kestrel binds it a moment later).</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Infrastructure;

/// <summary>
/// The real Gatehouse app on https://127.0.0.1:&lt;free port&gt; with a temp data dir, SQLite, the dev certificate and
/// cheap password hashing. Reusable by any end-to-end test: configure extra keys (e.g. Azure AD emulator URLs) in
/// <see cref="StartAsync"/>; trust the server through <see cref="CreateHandler"/> or <see cref="CaCertificatePath"/>.
/// </summary>
public sealed class GatehouseTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDataDir;
    private readonly X509Certificate2 _ca;

    private GatehouseTestServer(WebApplication app, string dataDir, bool ownsDataDir)
    {
        _app = app;
        _ownsDataDir = ownsDataDir;
        DataDir = dataDir;
        Issuer = app.Services.GetRequiredService<TenantIssuer>().Issuer;
        CaCertificatePath = Path.Combine(dataDir, DevCertificate.CaFileName);
        _ca = X509CertificateLoader.LoadCertificateFromFile(CaCertificatePath);
        var bootstrap = JsonDocument.Parse(File.ReadAllText(Path.Combine(dataDir, Bootstrapper.BootstrapFileName))).RootElement;
        ManagementClientId = bootstrap.GetProperty("client_id").GetString()!;
        ManagementClientSecret = bootstrap.GetProperty("client_secret").GetString()!;
        ManagementAudience = bootstrap.GetProperty("audience").GetString()!;
        Client = new HttpClient(CreateHandler()) { BaseAddress = new Uri(Issuer) };
    }

    /// <summary>Issuer with its trailing slash, e.g. https://127.0.0.1:41234/.</summary>
    public string Issuer { get; }

    /// <summary>Issuer without the trailing slash.</summary>
    public string BaseUrl => Issuer.TrimEnd('/');

    public string DataDir { get; }

    /// <summary>PEM of the development CA that signed the server certificate (curl --cacert, NODE_EXTRA_CA_CERTS).</summary>
    public string CaCertificatePath { get; }

    public string ManagementClientId { get; }

    public string ManagementClientSecret { get; }

    public string ManagementAudience { get; }

    /// <summary>An HttpClient whose BaseAddress is the issuer and that trusts the dev certificate.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public IGatehouseStore Store => Services.GetRequiredService<IGatehouseStore>();

    /// <summary>
    /// Starts a server. Defaults: urls https://127.0.0.1:0, a fresh temp Gatehouse:DataDir (deleted on dispose),
    /// Gatehouse:DevCert true, Passwords:Pbkdf2Iterations 1000, logging at Warning. <paramref name="configure"/> may
    /// change or add any configuration key (a null value removes a default); <paramref name="configureServices"/> runs
    /// after Gatehouse's own registrations (add an IConnectionStrategy, replace TimeProvider...).
    /// </summary>
    public static async Task<GatehouseTestServer> StartAsync(
        Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var config = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["urls"] = "https://127.0.0.1:0",
            ["Gatehouse:DataDir"] = Path.Combine(Path.GetTempPath(), "gatehouse-tests", Guid.NewGuid().ToString("N")),
            ["Gatehouse:DevCert"] = "true",
            ["Passwords:Pbkdf2Iterations"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        var defaultDataDir = config["Gatehouse:DataDir"];
        configure?.Invoke(config);
        var dataDir = Path.GetFullPath(config["Gatehouse:DataDir"]!);
        var args = config.Where(kv => kv.Value is not null).Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = await GatehouseApp.BuildAsync(args, configureServices);
        await app.StartAsync();
        return new GatehouseTestServer(app, dataDir, ownsDataDir: dataDir == Path.GetFullPath(defaultDataDir!));
    }

    /// <summary>A handler that trusts the server's development CA (for HttpClient, JwtBearer's backchannel, MSAL...).</summary>
    public HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors) },
    };

    private bool Trusted(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <summary>A client_credentials access token for the Management API with the bootstrap client (all scopes).</summary>
    public async Task<string> GetManagementTokenAsync()
    {
        var response = await Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ManagementClientId,
            ["client_secret"] = ManagementClientSecret,
            ["audience"] = ManagementAudience,
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>An HttpClient for /api/v2 calls, authorized with <see cref="GetManagementTokenAsync"/>.</summary>
    public async Task<HttpClient> CreateManagementClientAsync(string? token = null)
    {
        var client = new HttpClient(CreateHandler()) { BaseAddress = new Uri(Issuer + "api/v2/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await GetManagementTokenAsync());
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _ca.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDataDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still be closing its files; the temp folder is not worth failing a test over.
            }
        }
    }
}

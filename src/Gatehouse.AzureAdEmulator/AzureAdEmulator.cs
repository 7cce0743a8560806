using System.Security.Cryptography.X509Certificates;
using Gatehouse.AzureAd.Emulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.AzureAd.Emulator;

/// <summary>
/// A faithful local Azure AD (Entra ID) on a loopback port: STS (v1 + v2 ROPC and the browser authorization-code flow), discovery, Microsoft Graph
/// and Azure AD Graph. Start one with <see cref="StartAsync"/>; dispose it to stop it.
/// </summary>
public sealed class AzureAdEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorRuntime _runtime;
    private readonly TlsCertificates? _tls;
    private readonly bool _deleteCaFile;

    private AzureAdEmulator(WebApplication app, EmulatorRuntime runtime, TlsCertificates? tls, string baseUrl, string? caPath, bool deleteCaFile)
    {
        _app = app;
        _runtime = runtime;
        _tls = tls;
        BaseUrl = baseUrl;
        CaCertificatePath = caPath;
        _deleteCaFile = deleteCaFile;
    }

    /// <summary>scheme://127.0.0.1:port/ (trailing slash, no path). Authority = {BaseUrl}{tenant}/.</summary>
    public string BaseUrl { get; }

    /// <summary>Microsoft Graph base: {BaseUrl}v1.0/... (same host).</summary>
    public string MicrosoftGraphBaseUrl => BaseUrl;

    /// <summary>Azure AD Graph base: {BaseUrl}aadgraph/ (then {tenant}/me?api-version=1.6 ...).</summary>
    public string AadGraphBaseUrl => BaseUrl + "aadgraph/";

    /// <summary>PEM file of the CA that signed the HTTPS certificate; null over plain HTTP.</summary>
    public string? CaCertificatePath { get; }

    /// <summary>The CA certificate clients must trust; null over plain HTTP.</summary>
    public X509Certificate2? CaCertificate => _tls?.Ca;

    public EmulatorDirectory Directory => _runtime.Directory;
    public FaultInjector Faults => _runtime.Faults;
    public SignInLog SignInLog => _runtime.SignInLog;

    /// <summary>The one-time code of the user's pending MFA step (by UPN or object id), or null (also GET /_emulator/mfa-codes/{user}).</summary>
    public string? PendingMfaCode(string user) =>
        _runtime.Directory.Snapshot.FindUser(user) is { } u ? _runtime.Interactive.PendingMfaCode(u.Id) : null;

    /// <summary>Starts an emulator on 127.0.0.1 and returns once it answers requests.</summary>
    public static async Task<AzureAdEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var runtime = new EmulatorRuntime(options.Seed ?? EmulatorSeed.Default, options.TimeProvider ?? TimeProvider.System);
        var tls = options.Https ? TlsCertificates.Create() : null;
        var app = EmulatorApp.Build(runtime, tls, options.Port, consoleLogging: false);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var baseUrl = new Uri(address).GetLeftPart(UriPartial.Authority) + "/";
        string? caPath = null;
        if (tls is not null)
        {
            caPath = options.CaCertificatePath ?? Path.Combine(Path.GetTempPath(), $"gatehouse-aad-emulator-{Guid.NewGuid():N}.pem");
            await File.WriteAllTextAsync(caPath, tls.CaPem, cancellationToken);
        }
        return new AzureAdEmulator(app, runtime, tls, baseUrl, caPath, options.CaCertificatePath is null);
    }

    /// <summary>An HTTP handler that trusts exactly this emulator's CA (validation stays on). Plain handler over HTTP.</summary>
    public HttpMessageHandler CreateTrustingHandler() =>
        _tls is null ? new SocketsHttpHandler() : TrustingHandler.Create(_tls.Ca);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _runtime.Dispose();
        _tls?.Dispose();
        if (_deleteCaFile && CaCertificatePath is not null) File.Delete(CaCertificatePath);
    }
}

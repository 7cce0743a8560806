using Gatehouse.Core.Tenancy;
using Gatehouse.Server.Dashboard.Auth;
using Gatehouse.Core.Tokens;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Start-up in two halves: before Kestrel listens, migrate storage and load the signing keys; once it listens (and
/// the issuer is known even on port 0), bootstrap the tenant, seed the demo when asked, and open the gate.
/// </summary>
internal sealed class GatehouseStartup(
    IStorageInitializer storage,
    SigningKeyService keys,
    TenantIssuer issuer,
    IServer server,
    GatehouseSettings settings,
    ObservabilitySettings observability,
    Bootstrapper bootstrapper,
    DemoSeeder demo,
    FirstAdministrator firstAdministrator,
    Readiness readiness) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await storage.InitializeAsync(cancellationToken);
        await keys.InitializeAsync(cancellationToken);
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!issuer.IsSet)
            issuer.Set(PublicUrlFromAddresses());
        var management = await bootstrapper.RunAsync(cancellationToken);
        var dashboard = await firstAdministrator.EnsureAsync(cancellationToken);
        if (settings.Demo)
            await demo.RunAsync(management, cancellationToken, dashboard);
        readiness.MarkReady();
    }

    private string PublicUrlFromAddresses()
    {
        var metricsPorts = observability.MetricsListeners().Select(u => u.Port).ToHashSet();
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
                .FirstOrDefault(a => !metricsPorts.Contains(BindingAddress.Parse(a).Port))
            ?? throw new InvalidOperationException("Kestrel reports no address; set --public-url.");
        // A wildcard binding has no name clients can use; localhost is the useful default for a local run.
        return address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Gatehouse.Core.Connections;
using Gatehouse.Core.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Connections.AzureAd;

/// <summary>The one line a host adds to offer <c>waad</c> connections (docs/architecture.md, "Adding a strategy").</summary>
public static class AzureAdConnections
{
    /// <summary>Registers the <c>waad</c> strategy with the host's Azure AD settings (where Azure AD is, what TLS trusts).</summary>
    public static IServiceCollection AddAzureAdConnections(this IServiceCollection services, WaadServerDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        services.AddSingleton(defaults);
        // Every upstream call is observed (span, latency, AADSTS code, log event) by wrapping the strategy's handler.
        services.AddSingleton(sp => new WaadConnectionStrategy(sp.GetRequiredService<ISecretProtector>(), sp.GetRequiredService<TimeProvider>(), defaults,
            new UpstreamObserver(UpstreamHandler.Create(defaults.ExtraTrustedCertificates), sp.GetRequiredService<ILogger<UpstreamObserver>>())));
        services.AddSingleton<IConnectionStrategy>(sp => sp.GetRequiredService<WaadConnectionStrategy>());
        return services;
    }
}

using Gatehouse.Core.Observability;
using Gatehouse.Core.Tokens;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Traces, metrics and health. The Gatehouse ActivitySource and Meter (<see cref="GatehouseTelemetry"/>) are always
/// there; an exporter subscribes only when configured: Prometheus on the metrics listeners, OTLP to a collector. With
/// neither, OpenTelemetry is not registered at all, so a login pays nothing for it.
/// </summary>
internal static class Observability
{
    public const string MetricsPath = "/metrics";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>A scrape flood costs one collection per this period at most: the exporter answers from its cache meanwhile.</summary>
    public const int ScrapeCacheMilliseconds = 300;

    public static IServiceCollection AddGatehouseObservability(this IServiceCollection services, ObservabilitySettings settings)
    {
        services.AddSingleton(settings);
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<SigningKeyHealthCheck>("signing_key");

        var prometheus = settings.MetricsListeners().Count > 0;
        var otlp = settings.Otlp;
        if (!prometheus && otlp is null)
            return services;
        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("gatehouse"));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(GatehouseTelemetry.Name);
            if (prometheus)
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = ScrapeCacheMilliseconds);
            if (otlp is not null)
                metrics.AddOtlpExporter(o => o.Endpoint = otlp);
        });
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(GatehouseTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = otlp));
        }
        return services;
    }

    /// <summary>
    /// The metrics listeners serve <c>/metrics</c> and nothing else; the public listeners never serve it. The check is
    /// on the port the connection arrived at, not on the Host header, which a caller chooses.
    /// </summary>
    public static void UseGatehouseMetricsListener(this WebApplication app)
    {
        var ports = app.Services.GetRequiredService<ObservabilitySettings>().MetricsListeners().Select(u => u.Port).ToHashSet();
        if (ports.Count == 0)
            return;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            context => ports.Contains(context.Connection.LocalPort) && context.Request.Path == MetricsPath);
        app.Use(async (context, next) =>
        {
            if (!ports.Contains(context.Connection.LocalPort))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
    }

    /// <summary>Live: the process answers. Ready: the store answers a query and the signing keys are loaded. The body is the status word only.</summary>
    public static void MapGatehouseHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(ReadyPath);
    }
}

internal sealed class StoreHealthCheck(IStoreProbe store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.IsReachableAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("store unreachable");
}

internal sealed class SigningKeyHealthCheck(SigningKeyService keys) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(keys.IsLoaded ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("signing keys not loaded"));
}

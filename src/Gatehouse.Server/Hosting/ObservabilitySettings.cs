namespace Gatehouse.Server.Hosting;

/// <summary>
/// The <c>Observability</c> configuration section. Both exporters are off unless configured (docs/architecture.md,
/// Observability; docs/security.md says who may read metrics).
/// </summary>
public sealed class ObservabilitySettings
{
    public const string Section = "Observability";

    /// <summary>
    /// Where Prometheus scrapes <c>/metrics</c>: its own listener (e.g. <c>http://127.0.0.1:9464</c>; several separated
    /// by <c>;</c>), never the public port. Each needs an explicit port. Unset: no metrics endpoint.
    /// </summary>
    public string? MetricsUrls { get; set; }

    /// <summary>An OpenTelemetry collector (OTLP over gRPC, e.g. <c>http://127.0.0.1:4317</c>): traces and metrics go there. Unset: nothing is exported.</summary>
    public string? OtlpEndpoint { get; set; }

    public static ObservabilitySettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ObservabilitySettings>() ?? new ObservabilitySettings();

    /// <summary>The metrics listeners, checked: absolute http(s) URLs with a port of their own.</summary>
    public IReadOnlyList<Uri> MetricsListeners()
    {
        var urls = new List<Uri>();
        foreach (var text in (MetricsUrls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.IsDefaultPort || url.Port == 0
                || url.AbsolutePath != "/")
                throw new InvalidOperationException($"{Section}:MetricsUrls: '{text}' is not an http(s) URL with an explicit, non-zero port and no path.");
            urls.Add(url);
        }
        return urls;
    }

    public Uri? Otlp => string.IsNullOrWhiteSpace(OtlpEndpoint) ? null
        : Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var url) ? url
        : throw new InvalidOperationException($"{Section}:OtlpEndpoint: '{OtlpEndpoint}' is not an absolute URL.");
}

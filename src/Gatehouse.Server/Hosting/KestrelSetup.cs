namespace Gatehouse.Server.Hosting;

/// <summary>
/// Listening addresses and HTTPS. --urls (or ASPNETCORE_URLS, or Kestrel:Endpoints) as usual; without them
/// 127.0.0.1:8080 (http) or 127.0.0.1:8443 (https with --dev-cert). A configured certificate
/// (Kestrel:Certificates:Default:Path/Password) is Kestrel's standard; --dev-cert supplies one otherwise. Request
/// limits are explicit (body 1 MB, headers 32 KB and 100 of them, request line 8 KB) unless Kestrel:Limits sets them.
/// </summary>
internal static class KestrelSetup
{
    public static void Configure(WebApplicationBuilder builder, GatehouseSettings settings)
    {
        var hasEndpoints = builder.Configuration.GetSection("Kestrel:Endpoints").Exists();
        var urls = builder.Configuration["urls"];
        if (string.IsNullOrEmpty(urls) && !hasEndpoints)
            urls = settings.DevCert ? "https://127.0.0.1:8443" : "http://127.0.0.1:8080";
        // The metrics listeners come last, so the first address (the default issuer) stays a public one.
        var metrics = ObservabilitySettings.From(builder.Configuration).MetricsListeners();
        if (hasEndpoints)
        {
            for (var i = 0; i < metrics.Count; i++)
                builder.Configuration[$"Kestrel:Endpoints:GatehouseMetrics{i}:Url"] = metrics[i].AbsoluteUri;
        }
        else
        {
            builder.WebHost.UseUrls(string.Join(';', [urls, .. metrics.Select(u => u.AbsoluteUri)]));
        }
        var configuredLimits = builder.Configuration.GetSection("Kestrel:Limits");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Explicit request limits (docs/security.md); any of them can be changed under Kestrel:Limits.
            SetUnlessConfigured(configuredLimits, "MaxRequestBodySize", () => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
            SetUnlessConfigured(configuredLimits, "MaxRequestHeadersTotalSize", () => kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024);
            SetUnlessConfigured(configuredLimits, "MaxRequestHeaderCount", () => kestrel.Limits.MaxRequestHeaderCount = 100);
            SetUnlessConfigured(configuredLimits, "MaxRequestLineSize", () => kestrel.Limits.MaxRequestLineSize = 8 * 1024);
            if (settings.DevCert)
            {
                var certificate = DevCertificate.LoadOrCreate(settings.FullDataDir);
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
    }

    /// <summary>The largest body any endpoint reads: a Management API body (the token endpoint stops at 64 KB itself).</summary>
    public const long MaxRequestBodyBytes = Management.JsonBody.MaxBytes;

    private static void SetUnlessConfigured(IConfigurationSection limits, string name, Action set)
    {
        if (limits[name] is null)
            set();
    }
}

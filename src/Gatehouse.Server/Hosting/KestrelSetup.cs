namespace Gatehouse.Server.Hosting;

/// <summary>
/// Listening addresses and HTTPS. --urls (or ASPNETCORE_URLS, or Kestrel:Endpoints) as usual; without them
/// 127.0.0.1:8080 (http) or 127.0.0.1:8443 (https with --dev-cert). A configured certificate
/// (Kestrel:Certificates:Default:Path/Password) is Kestrel's standard; --dev-cert supplies one otherwise.
/// </summary>
internal static class KestrelSetup
{
    public static void Configure(WebApplicationBuilder builder, GatehouseSettings settings)
    {
        var hasUrls = !string.IsNullOrEmpty(builder.Configuration["urls"]) || builder.Configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!hasUrls)
            builder.WebHost.UseUrls(settings.DevCert ? "https://127.0.0.1:8443" : "http://127.0.0.1:8080");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (settings.DevCert)
            {
                var certificate = DevCertificate.LoadOrCreate(settings.FullDataDir);
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
    }
}

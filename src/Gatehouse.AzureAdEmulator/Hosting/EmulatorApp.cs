using System.Net;
using Gatehouse.AzureAd.Emulator.Endpoints;
using Gatehouse.AzureAd.Emulator.Faults;
using Gatehouse.AzureAd.Emulator.Interactive;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.AzureAd.Emulator.Hosting;

/// <summary>Builds the emulator's web application: Kestrel on loopback and every route. Used by the library and the executable.</summary>
internal static class EmulatorApp
{
    public static WebApplication Build(EmulatorRuntime rt, TlsCertificates? tls, int port, bool consoleLogging)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        if (consoleLogging) builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port, listen =>
            {
                if (tls is null) return;
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(tls.Server);
            });
        });
        var app = builder.Build();
        var faults = new FaultMiddleware(rt, app.Lifetime);
        app.Use((ctx, next) => faults.InvokeAsync(ctx, () => next(ctx)));
        TokenEndpoint.Map(app, rt);
        AuthorizeEndpoint.Map(app, rt);
        SignInForms.Map(app, rt);
        LogoutEndpoint.Map(app, rt);
        DiscoveryEndpoints.Map(app, rt);
        RealmEndpoints.Map(app, rt);
        GraphEndpoints.Map(app, rt);
        AadGraphEndpoints.Map(app, rt);
        AdminEndpoints.Map(app, rt);
        return app;
    }
}

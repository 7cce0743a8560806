using Gatehouse.Server.Authentication;
using Gatehouse.Server.Dashboard;
using Gatehouse.Server.Login;
using Gatehouse.Server.Management;

namespace Gatehouse.Server.Hosting;

/// <summary>Builds the Gatehouse web application from command-line arguments (Program.cs and the test hosts use this).</summary>
public static class GatehouseApp
{
    /// <param name="configureServices">Runs after Gatehouse's registrations: tests replace services here.</param>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        args = CommandLine.Normalize(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, CommandLine.SwitchMappings.ToDictionary());
        var settings = builder.Configuration.GetSection(GatehouseSettings.Section).Get<GatehouseSettings>() ?? new GatehouseSettings();
        SecureFile.CreateDirectory(settings.FullDataDir);
        var emulator = await DemoEmulator.StartIfNeededAsync(builder.Configuration, settings);

        KestrelSetup.Configure(builder, settings);
        builder.Services.AddGatehouse(builder.Configuration, settings);
        builder.Services.AddGatehouseObservability(ObservabilitySettings.From(builder.Configuration));
        builder.Services.AddGatehouseDashboard();
        builder.Services.AddGatehouseLogin();
        if (emulator is not null)
            builder.Services.AddSingleton(emulator);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        if (emulator is not null)
            app.Lifetime.ApplicationStopped.Register(() => emulator.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.UseGatehouseMetricsListener();
        app.UseKnownProxies();
        app.UseGatehouseHsts();
        app.UseGatehouseErrors();
        app.UseRequestGuard();
        app.UseGatehouseReadiness();
        app.MapGatehouseHealth();
        app.MapAuthenticationApi();
        app.MapManagementApi();
        app.MapGatehouseLogin();
        app.MapGatehouseDashboard();
        return app;
    }
}

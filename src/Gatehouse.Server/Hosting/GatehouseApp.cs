using Gatehouse.Server.Authentication;
using Gatehouse.Server.Management;

namespace Gatehouse.Server.Hosting;

/// <summary>Builds the Gatehouse web application from command-line arguments (Program.cs and the test hosts use this).</summary>
public static class GatehouseApp
{
    /// <param name="configureServices">Runs after Gatehouse's registrations: tests replace services here.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        args = CommandLine.Normalize(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, CommandLine.SwitchMappings.ToDictionary());
        var settings = builder.Configuration.GetSection(GatehouseSettings.Section).Get<GatehouseSettings>() ?? new GatehouseSettings();
        Directory.CreateDirectory(settings.FullDataDir);

        KestrelSetup.Configure(builder, settings);
        builder.Services.AddGatehouse(builder.Configuration, settings);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseGatehouseErrors();
        app.UseGatehouseReadiness();
        app.MapAuthenticationApi();
        app.MapManagementApi();
        return app;
    }
}

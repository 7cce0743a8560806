using Gatehouse.Server.Hosting;

// Gatehouse: an Auth0-compatible identity broker. Switches: --urls, --data-dir, --public-url, --dev-cert, --demo.
// `admin add <email>` adds a dashboard administrator instead of starting the server.
if (await AdminCommand.TryRunAsync(args, Console.Out, Console.Error) is { } exitCode)
    return exitCode;
var app = await GatehouseApp.BuildAsync(args);
await app.RunAsync();
return 0;

/// <summary>The entry point (also the anchor type for test hosts).</summary>
public partial class Program;

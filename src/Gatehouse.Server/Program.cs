using Gatehouse.Server.Hosting;

// Gatehouse: an Auth0-compatible identity broker. Switches: --urls, --data-dir, --public-url, --dev-cert, --demo.
var app = await GatehouseApp.BuildAsync(args);
await app.RunAsync();

/// <summary>The entry point (also the anchor type for test hosts).</summary>
public partial class Program;

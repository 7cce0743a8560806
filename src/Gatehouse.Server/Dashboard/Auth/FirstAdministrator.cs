using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Administrators;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.Dashboard.Auth;

/// <summary>The first dashboard sign-in: email and generated password, as written once to bootstrap.json.</summary>
public sealed record DashboardCredentials(string Email, string Password);

/// <summary>
/// First start: when no administrator exists, create one (Dashboard:AdminEmail, default admin@gatehouse.local) and add
/// its password once to &lt;data-dir&gt;/bootstrap.json under <c>dashboard_admin</c> (mode 600). Later starts read it back.
/// </summary>
public sealed class FirstAdministrator(IAdministratorStore store, AdministratorAccounts accounts, GatehouseSettings settings,
    IConfiguration configuration, ILogger<FirstAdministrator> log)
{
    public const string BootstrapKey = "dashboard_admin";
    public const string DefaultEmail = "admin@gatehouse.local";

    public async Task<DashboardCredentials?> EnsureAsync(CancellationToken ct)
    {
        var path = settings.DataFile(Bootstrapper.BootstrapFileName);
        if ((await store.ListAsync(ct)).Count == 0)
        {
            var (administrator, password) = await accounts.CreateAsync(Bootstrapper.Actor, configuration["Dashboard:AdminEmail"] ?? DefaultEmail, ct);
            var file = File.Exists(path) ? JsonNode.Parse(await File.ReadAllTextAsync(path, ct)) as JsonObject ?? [] : [];
            file[BootstrapKey] = new JsonObject { ["email"] = administrator.Email, ["password"] = password };
            SecureFile.WriteText(path, file.ToJsonString(JsonDefaults.Indented));
            if (log.IsEnabled(LogLevel.Information))
                log.LogInformation("Created the first dashboard administrator {Email}; password written to {File}", administrator.Email, path);
            return new DashboardCredentials(administrator.Email, password);
        }
        return Read(path);
    }

    /// <summary>The first administrator's credentials from bootstrap.json, when the file still has them.</summary>
    public static DashboardCredentials? Read(string bootstrapPath)
    {
        if (!File.Exists(bootstrapPath))
            return null;
        try
        {
            var admin = JsonNode.Parse(File.ReadAllText(bootstrapPath))?[BootstrapKey];
            return admin?["email"]?.GetValue<string>() is { } email && admin["password"]?.GetValue<string>() is { } password
                ? new DashboardCredentials(email, password)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

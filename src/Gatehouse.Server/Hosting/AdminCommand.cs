using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Auth;
using Gatehouse.Storage;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// <c>Gatehouse.Server admin add &lt;email&gt; [--data-dir ...]</c>: adds a dashboard administrator to the configured
/// storage and prints its generated password once. Nothing listens; the server may be running meanwhile.
/// </summary>
public static class AdminCommand
{
    /// <summary>The system actor the audit event of an administrator added here names.</summary>
    public static readonly AdminActor Actor = AdminActor.System("admin-command");

    /// <summary>Null when the arguments are not an admin command (then the server starts).</summary>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || args[0] != "admin")
            return null;
        if (args.Length < 3 || args[1] != "add" || args[2].StartsWith('-'))
        {
            await error.WriteLineAsync("usage: Gatehouse.Server admin add <email> [--data-dir <dir>]");
            return 2;
        }
        var email = args[2];
        if (!AdministratorAccounts.IsEmail(email))
        {
            await error.WriteLineAsync($"'{email}' is not an email address.");
            return 2;
        }
        await using var app = await GatehouseApp.BuildAsync([.. args.Skip(3), "--Logging:LogLevel:Default=Warning"]);
        await app.Services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        try
        {
            var (administrator, password) = await app.Services.GetRequiredService<AdministratorAccounts>().CreateAsync(Actor, email, CancellationToken.None);
            await output.WriteLineAsync($"Administrator {administrator.Email} added. Password (shown once): {password}");
            return 0;
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            await error.WriteLineAsync($"An administrator {email.ToLowerInvariant()} already exists.");
            return 1;
        }
    }
}

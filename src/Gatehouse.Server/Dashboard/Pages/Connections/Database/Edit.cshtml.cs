using System.Globalization;
using System.Text.Json.Nodes;
using Gatehouse.Connections.Database;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Services;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Connections.Database;

/// <summary>Create (no id) or edit a database connection; options the form does not show are kept.</summary>
public sealed class EditDatabaseConnectionModel(IGatehouseStore store, ConnectionCache strategies, ConnectionEditor editor) : ConnectionPageModel(store, strategies)
{
    protected override string Section => "database";

    public string Name { get; private set; } = "";

    public string PasswordPolicy { get; private set; } = "good";

    public bool RequiresUsername { get; private set; }

    public bool BruteForceProtection { get; private set; } = true;

    public bool DisableSignup { get; private set; }

    /// <summary>Auth0's <c>password_complexity_options.min_length</c> as typed; empty leaves the policy's own minimum.</summary>
    public string MinLength { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string? id)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (Connection is not null)
        {
            var options = DatabaseConnectionOptions.Parse(Connection.Options);
            (PasswordPolicy, RequiresUsername, BruteForceProtection, DisableSignup, MinLength) =
                (options.PasswordPolicy, options.RequiresUsername, options.BruteForceProtection, options.DisableSignup, options.MinLength?.ToString(CultureInfo.InvariantCulture) ?? "");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? id, string? name, string? passwordPolicy, bool requiresUsername, bool bruteForceProtection,
        bool disableSignup, string? minLength, string[]? enabledClients)
    {
        if (!await LoadAsync(id))
            return NotFound();
        (Name, PasswordPolicy, RequiresUsername, BruteForceProtection, DisableSignup, MinLength) =
            (name?.Trim() ?? "", passwordPolicy ?? "", requiresUsername, bruteForceProtection, disableSignup, minLength?.Trim() ?? "");
        Enabled = KnownApps(enabledClients);
        var options = Connection is null ? [] : editor.CurrentOptions(Connection);
        options["passwordPolicy"] = PasswordPolicy;
        options["requires_username"] = RequiresUsername;
        options["brute_force_protection"] = BruteForceProtection;
        options["disable_signup"] = DisableSignup;
        SetMinLength(options);
        var result = Connection is null
            ? await editor.CreateAsync(Actor, Name, Strategy, options, Enabled, Field, HttpContext.RequestAborted)
            : await editor.UpdateAsync(Actor, Connection, options, Enabled, Field, HttpContext.RequestAborted);
        foreach (var (field, message) in result.Errors)
            Errors[field] = field == "name" && Name.Length == 0 ? "Enter a name." : message;
        if (result.Saved is null)
            return Page();
        Notice(Connection is null ? $"Connection {result.Saved.Name} created." : "Connection saved.");
        return Redirect($"{ListPath}/edit/{result.Saved.Id}");
    }

    /// <summary>The typed minimum, as a number when it is one (else as typed, for the strategy to refuse); the other complexity options kept.</summary>
    private void SetMinLength(JsonObject options)
    {
        if (options["password_complexity_options"] is not JsonObject complexity)
        {
            if (MinLength.Length == 0)
                return;
            options["password_complexity_options"] = complexity = [];
        }
        if (MinLength.Length == 0)
            complexity.Remove("min_length");
        else
            complexity["min_length"] = int.TryParse(MinLength, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : MinLength;
    }

    /// <summary>The form field of a problem's field (an option path, as the admin layer names it, without "options.").</summary>
    private static string Field(string option) => option switch
    {
        "name" or "passwordPolicy" => option,
        "password_complexity_options.min_length" => "minLength",
        _ => "options",
    };
}

using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Applications;

/// <summary>One application: grant types, authentication method, secret rotation, enabled connections (through the admin layer).</summary>
public sealed class EditApplicationModel(IGatehouseStore store, ClientAdmin clients, ConnectionAdmin connectionAdmin) : DashboardPageModel
{
    public Client Client { get; private set; } = null!;

    public string? Secret { get; private set; }

    public bool ShowSecret { get; private set; }

    public IReadOnlyList<Connection> Connections { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id) => await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostGrantsAsync(string id, string[]? grantTypes, string? method)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (Client.IsGlobal)
            return BadRequest();
        var changes = new ClientChanges { GrantTypes = grantTypes ?? [], AuthMethod = method ?? Client.TokenEndpointAuthMethod };
        try
        {
            await clients.UpdateAsync(Actor, Client, changes, HttpContext.RequestAborted);
        }
        catch (AdminException refusal) when (refusal.Refusal == AdminRefusal.Invalid)
        {
            ShowProblems(refusal, field => field == "token_endpoint_auth_method" ? "method" : field);
            if (Errors.ContainsKey("grant_types") && changes.AuthMethod == Core.Grants.TokenEndpointAuthMethods.None && changes.GrantTypes.Contains(Core.Grants.GrantTypes.ClientCredentials))
                Errors["grant_types"] = "Client Credentials needs a confidential application: choose client_secret_post or client_secret_basic, or untick Client Credentials.";
            return Page();
        }
        Notice("Grant types saved.");
        return Redirect($"/dashboard/applications/edit/{id}");
    }

    public async Task<IActionResult> OnPostRotateAsync(string id)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (Client.IsGlobal)
            return BadRequest();
        (Client, var secret) = await clients.RotateSecretAsync(Actor, Client, HttpContext.RequestAborted);
        Secret = secret;
        ShowSecret = true;
        TempData["Notice"] = "Secret rotated. The previous secret no longer works.";
        return Page();
    }

    public async Task<IActionResult> OnPostConnectionsAsync(string id, string[]? connections)
    {
        if (!await LoadAsync(id))
            return NotFound();
        var wanted = new HashSet<string>(connections ?? [], StringComparer.Ordinal);
        foreach (var connection in Connections)
        {
            var enabled = wanted.Contains(connection.Id);
            if (enabled != connection.EnabledClients.Contains(Client.ClientId))
                await connectionAdmin.SetEnabledClientsAsync(Actor, connection, [(Client.ClientId, enabled)], HttpContext.RequestAborted);
        }
        Notice("Connections saved.");
        return Redirect($"/dashboard/applications/edit/{id}");
    }

    private async Task<bool> LoadAsync(string id)
    {
        var ct = HttpContext.RequestAborted;
        if (id.Length > 128 || await store.GetClientAsync(id, ct) is not { } client)
            return false;
        Client = client;
        Secret = clients.RevealSecret(client);
        Connections = (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Items;
        return true;
    }
}

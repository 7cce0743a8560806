using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Management;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Applications;

/// <summary>One application: grant types, authentication method, secret rotation, enabled connections (the Management API's rules).</summary>
public sealed class EditApplicationModel(IGatehouseStore store, ISecretProtector protector) : DashboardPageModel
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
        var grants = (grantTypes ?? []).Distinct(StringComparer.Ordinal).ToList();
        var authMethod = method ?? Client.TokenEndpointAuthMethod;
        if (ClientRules.OneOfProblem("token_endpoint_auth_method", authMethod, ClientFactory.AuthMethods) is { } methodProblem)
            Errors["method"] = methodProblem;
        else if (ClientRules.GrantTypesProblem(grants, authMethod) is { } grantsProblem)
            Errors["grant_types"] = authMethod == Core.Grants.TokenEndpointAuthMethods.None && grants.Contains(Core.Grants.GrantTypes.ClientCredentials)
                ? "Client Credentials needs a confidential application: choose client_secret_post or client_secret_basic, or untick Client Credentials."
                : grantsProblem;
        if (Errors.Count > 0)
            return Page();
        var updated = Client with
        {
            GrantTypes = grants,
            TokenEndpointAuthMethod = authMethod,
            // Same as PATCH /api/v2/clients: becoming confidential gives the client a secret.
            ClientSecretProtected = Client.ClientSecretProtected ?? (authMethod == Core.Grants.TokenEndpointAuthMethods.None ? null : protector.Protect(ClientFactory.NewSecret(), Core.Security.Secrets.ClientSecretPurpose)),
        };
        await store.UpdateClientAsync(updated, HttpContext.RequestAborted);
        Notice("Grant types saved.");
        return Redirect($"/dashboard/applications/edit/{id}");
    }

    public async Task<IActionResult> OnPostRotateAsync(string id)
    {
        if (!await LoadAsync(id))
            return NotFound();
        var (rotated, secret) = ClientFactory.WithNewSecret(Client, protector);
        Client = await store.UpdateClientAsync(rotated, HttpContext.RequestAborted);
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
                await store.UpdateConnectionAsync(ConnectionRules.WithClient(connection, Client.ClientId, enabled), HttpContext.RequestAborted);
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
        Secret = ClientsApi.SecretOf(client, protector);
        Connections = (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Items;
        return true;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Server.Dashboard.Services;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Connections.Enterprise;

/// <summary>
/// Create (no id) or edit a Microsoft Azure AD (<c>waad</c>) connection. Creating names it after the domain and so refuses a
/// second one for the same domain, showing the Management API request that makes it.
/// </summary>
public sealed class EditWaadConnectionModel(IGatehouseStore store, ConnectionCache strategies, ConnectionEditor editor, TenantIssuer issuer)
    : ConnectionPageModel(store, strategies)
{
    public sealed record SecondConnection(string Domain, string Name, string Curl);

    protected override string Section => "enterprise";

    public string Domain { get; private set; } = "";
    public string AppId { get; private set; } = "";
    public string ClientId { get; private set; } = "";
    public string IdentityApi { get; private set; } = "microsoft-identity-platform-v2.0";
    public bool ExtProfile { get; private set; }
    public bool ExtGroups { get; private set; }
    public bool HasSecret { get; private set; }
    public SecondConnection? Refusal { get; private set; }
    public string? GraphWarning { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? id)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (Connection is not null)
            Show(editor.CurrentOptions(Connection));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? id, string? domain, string? appId, string? clientId, string? clientSecret, string? identityApi,
        bool extProfile, bool extGroups, string[]? enabledClients)
    {
        if (!await LoadAsync(id))
            return NotFound();
        (Domain, AppId, ClientId, IdentityApi, ExtProfile, ExtGroups) =
            (domain?.Trim() ?? "", appId?.Trim() ?? "", clientId?.Trim() ?? "", identityApi ?? "", extProfile, extGroups);
        Enabled = KnownApps(enabledClients);
        var options = Connection is null ? [] : editor.CurrentOptions(Connection);
        HasSecret = options["client_secret"] is not null;
        Set(options, "domain", Domain);
        Set(options, "tenant_domain", Domain);
        Set(options, "app_id", AppId);
        Set(options, "client_id", ClientId);
        if (!string.IsNullOrEmpty(clientSecret))
            options["client_secret"] = clientSecret;
        options["identity_api"] = IdentityApi;
        options["ext_profile"] = ExtProfile;
        options["ext_groups"] = ExtGroups;
        if (Domain.Length == 0)
            Errors["domain"] = "Enter the Azure AD domain, e.g. contoso.onmicrosoft.com.";
        if (ClientId.Length == 0)
            Errors["client_id"] = "Enter the Client ID of the Native app registration.";
        if (Errors.Count > 0)
            return Page();

        ConnectionEditor.Result result;
        if (Connection is null)
        {
            var name = WaadNaming.FromDomain(Domain);
            if (await Store.GetConnectionByNameAsync(name, HttpContext.RequestAborted) is not null)
            {
                Refusal = new SecondConnection(Domain, name, Curl(name, options));
                Errors["domain"] = $"A connection named {name} already exists for this domain: see above for how to add a second one.";
                return Page();
            }
            result = await editor.CreateAsync(Actor, name, Strategy, options, Enabled, Field, HttpContext.RequestAborted);
        }
        else
        {
            result = await editor.UpdateAsync(Actor, Connection, options, Enabled, Field, HttpContext.RequestAborted);
        }
        foreach (var (field, message) in result.Errors)
            Errors[field] = message;
        if (result.Saved is null)
            return Page();
        Notice(Connection is null ? $"Connection {result.Saved.Name} created." : "Connection saved.");
        return Redirect($"{ListPath}/edit/{result.Saved.Id}");
    }

    private void Show(JsonObject options)
    {
        string S(string name) => options[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        bool B(string name) => options[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        Domain = S("tenant_domain") is { Length: > 0 } tenant ? tenant : S("domain");
        AppId = S("app_id");
        ClientId = S("client_id");
        IdentityApi = S("identity_api") is { Length: > 0 } api ? api : IdentityApi;
        ExtProfile = B("ext_profile");
        ExtGroups = B("ext_groups");
        HasSecret = S("client_secret").Length > 0;
        if ((ExtProfile || ExtGroups) && !IsGraph(AppId))
            GraphWarning = AppId.Length == 0
                ? null
                : $"Users of this connection get no groups or extended profile: the App ID URI {AppId} is a Web API, and Azure AD's token for it cannot read Graph. Use https://graph.microsoft.com to read them.";
    }

    private static bool IsGraph(string appId) =>
        appId.TrimEnd('/') is "https://graph.microsoft.com" or "https://graph.windows.net" or "00000003-0000-0000-c000-000000000000" or "00000002-0000-0000-c000-000000000000";

    private static void Set(JsonObject options, string name, string value)
    {
        if (value.Length == 0)
            options.Remove(name);
        else
            options[name] = value;
    }

    /// <summary>The connection payload of docs/waad.md, with the values entered, for POST /api/v2/connections.</summary>
    private string Curl(string takenName, JsonObject entered)
    {
        var payload = new JsonObject
        {
            ["name"] = takenName + "-native",
            ["strategy"] = Strategy,
            ["options"] = new JsonObject
            {
                ["tenant_domain"] = Domain,
                ["app_id"] = AppId.Length == 0 ? "the_app_id_of_the_regular_webapp" : AppId,
                ["client_id"] = ClientId,
                ["client_secret"] = "any_value",
                ["identity_api"] = IdentityApi,
                ["ext_profile"] = entered["ext_profile"]?.DeepClone(),
                ["ext_groups"] = entered["ext_groups"]?.DeepClone(),
            },
            ["enabled_clients"] = new JsonArray([.. Enabled.Select(e => (JsonNode)e)]),
        };
        var json = payload.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return $"curl -X POST {issuer.Issuer}api/v2/connections \\\n  -H \"Authorization: Bearer $TOKEN\" \\\n  -H \"Content-Type: application/json\" \\\n  -d '{json}'";
    }

    private static string Field(string option) => option switch
    {
        "name" or "tenant_domain" or "domain" or "tenantId" => "domain",
        "app_id" or "client_id" or "client_secret" or "identity_api" => option,
        _ => "options",
    };
}

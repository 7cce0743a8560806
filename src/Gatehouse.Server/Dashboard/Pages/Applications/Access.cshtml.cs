using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Access;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Claims;
using Gatehouse.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Applications;

/// <summary>
/// One application's access rules (<c>gatehouse_access_rules</c>: who may use it) and claims (<c>gatehouse_claims</c>:
/// which directory facts its tokens carry), read and checked by the same readers as the Management API, saved through
/// <see cref="ClientAdmin"/> as PATCH /api/v2/clients/{id} would. A problem is shown beside its field and saves nothing.
/// </summary>
public sealed class ApplicationAccessModel(IGatehouseStore store, ClientAdmin clients) : DashboardPageModel
{
    public Client Client { get; private set; } = null!;
    public IReadOnlyList<Role> Roles { get; private set; } = [];
    public IReadOnlyList<Connection> Connections { get; private set; } = [];

    // The forms' values: as stored, or as posted when refused.
    public IReadOnlyList<string> RuleRoles { get; private set; } = [];
    public string RuleGroups { get; private set; } = "";
    public IReadOnlyList<string> RuleConnections { get; private set; } = [];
    public string RuleTenants { get; private set; } = "";
    public string Namespace { get; private set; } = "";
    public IReadOnlyList<string> AccessTokenClaims { get; private set; } = [];
    public IReadOnlyList<string> IdTokenClaims { get; private set; } = [];
    public string GroupFormat { get; private set; } = "names";
    public string GroupPrefix { get; private set; } = "";
    public string GroupsOnly { get; private set; } = "";
    public string MaxGroups { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!await LoadAsync(id))
            return NotFound();
        ShowStored();
        return Page();
    }

    public async Task<IActionResult> OnPostRulesAsync(string id, string[]? roles, string? groups, string[]? connections, string? tenants)
    {
        if (!await LoadAsync(id))
            return NotFound();
        (RuleRoles, RuleGroups, RuleConnections, RuleTenants) = (roles ?? [], groups ?? "", connections ?? [], tenants ?? "");
        var rules = new JsonObject();
        Put(rules, "roles", RuleRoles);
        Put(rules, "groups", Lines(RuleGroups));
        Put(rules, "connections", RuleConnections);
        Put(rules, "tenants", Lines(RuleTenants));
        JsonNode? value = rules.Count == 0 ? null : rules;
        var problems = AccessRulesReader.Read(Element(value)).Problems;
        return await SaveAsync(AccessRules.PropertyName, value, problems, RuleField, "Access rules saved.");
    }

    public async Task<IActionResult> OnPostClaimsAsync(string id, string? ns, string[]? accessToken, string[]? idToken, string? groupFormat,
        string? groupPrefix, string? groupsOnly, string? maxGroups)
    {
        if (!await LoadAsync(id))
            return NotFound();
        (Namespace, AccessTokenClaims, IdTokenClaims) = (ns?.Trim() ?? "", accessToken ?? [], idToken ?? []);
        (GroupFormat, GroupPrefix, GroupsOnly, MaxGroups) = (groupFormat ?? "names", groupPrefix?.Trim() ?? "", groupsOnly ?? "", maxGroups?.Trim() ?? "");
        JsonNode? value = null;
        if (Namespace.Length > 0 || AccessTokenClaims.Count > 0 || IdTokenClaims.Count > 0)
        {
            var settings = new JsonObject { ["namespace"] = Namespace.Length == 0 ? null : Namespace };
            Put(settings, "access_token", AccessTokenClaims);
            Put(settings, "id_token", IdTokenClaims);
            var groups = new JsonObject { ["format"] = GroupFormat };
            if (GroupPrefix.Length > 0)
                groups["prefix"] = GroupPrefix;
            Put(groups, "only", Lines(GroupsOnly));
            settings["groups"] = groups;
            if (MaxGroups.Length > 0)
            {
                if (!int.TryParse(MaxGroups, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var max))
                    Errors["max_groups"] = $"Enter a whole number from 1 to {ClaimSettings.MaxMaxGroups}.";
                settings["max_groups"] = max;
            }
            value = settings;
        }
        if (Errors.Count > 0)
            return Page();
        var problems = ClaimSettingsReader.Read(Element(value), forResourceServer: false).Problems;
        return await SaveAsync(ClaimSettings.PropertyName, value, problems, ClaimField, "Claims saved.");
    }

    /// <summary>"gatehouse_access_rules.tenants[0]" → "tenants"; the whole object → "rules".</summary>
    private static string RuleField(string path) => path.Split('.', '[') is { Length: > 1 } parts ? parts[1] : "rules";

    /// <summary>"gatehouse_claims.groups.prefix" → "prefix", "gatehouse_claims.access_token[2]" → "access_token".</summary>
    private static string ClaimField(string path)
    {
        var member = path.Split('[')[0].Split('.');
        return member.Length > 2 ? member[2] : member.Length > 1 ? member[1] : "namespace";
    }

    private async Task<IActionResult> SaveAsync(string property, JsonNode? value, IReadOnlyList<SettingProblem> problems, Func<string, string> fieldOf, string notice)
    {
        foreach (var problem in problems)
        {
            var field = fieldOf(problem.Path);
            Errors[field] = Errors.TryGetValue(field, out var earlier) ? earlier + "; " + problem.Message : problem.Message;
        }
        if (Errors.Count > 0)
            return Page();
        var extra = Client.Extra is { ValueKind: JsonValueKind.Object } stored ? (JsonObject)JsonNode.Parse(stored.GetRawText())! : [];
        if (value is null)
            extra.Remove(property);
        else
            extra[property] = value;
        try
        {
            await clients.UpdateAsync(Actor, Client, new ClientChanges { Extra = JsonSerializer.SerializeToElement(extra) }, HttpContext.RequestAborted);
        }
        catch (AdminException refusal) when (refusal.Refusal == AdminRefusal.Invalid)
        {
            ShowProblems(refusal);
            return Page();
        }
        Notice(notice);
        return Redirect("/dashboard/applications/access/" + Client.ClientId);
    }

    private void ShowStored()
    {
        var extra = Client.Extra;
        if (AccessRulesReader.Read(Member(extra, AccessRules.PropertyName)).Rules is { } rules)
        {
            RuleRoles = rules.Roles ?? [];
            RuleGroups = string.Join('\n', rules.Groups ?? []);
            RuleConnections = rules.Connections ?? [];
            RuleTenants = string.Join('\n', (rules.Tenants ?? []).Select(t => t.ToString("D")));
        }
        if (ClaimSettingsReader.Read(Member(extra, ClaimSettings.PropertyName), forResourceServer: false).Settings is { } claims)
        {
            (Namespace, AccessTokenClaims, IdTokenClaims) = (claims.Namespace, claims.AccessToken, claims.IdToken);
            GroupFormat = claims.GroupFormat == GroupClaimFormat.Ids ? "ids" : "names";
            (GroupPrefix, GroupsOnly) = (claims.GroupPrefix ?? "", string.Join('\n', claims.GroupsOnly ?? []));
            MaxGroups = claims.MaxGroups.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static JsonElement? Member(JsonElement? extra, string name) =>
        extra is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) ? value : null;

    private static JsonElement? Element(JsonNode? node) => node is null ? null : JsonSerializer.SerializeToElement(node);

    private static void Put(JsonObject target, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
            target[name] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
    }

    /// <summary>One value per line, blank lines left out (at most a thousand lines are read).</summary>
    private static IReadOnlyList<string> Lines(string text) =>
        [.. text.Split('\n').Take(1001).Select(l => l.Trim()).Where(l => l.Length > 0)];

    private async Task<bool> LoadAsync(string id)
    {
        var ct = HttpContext.RequestAborted;
        if (id.Length > 128 || await store.GetClientAsync(id, ct) is not { IsGlobal: false } client)
            return false;
        Client = client;
        Roles = (await store.ListRolesAsync(new RoleQuery(null, PageRequest.All), ct)).Items;
        Connections = (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Items;
        return true;
    }
}

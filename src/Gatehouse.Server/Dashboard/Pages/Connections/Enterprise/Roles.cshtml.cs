using System.Text.Json.Nodes;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Membership;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Services;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Connections.Enterprise;

/// <summary>
/// A directory connection's group-to-role mapping (<c>gatehouse_role_mappings</c>, docs/waad.md): its rules, a rule added
/// or removed (the same change as PATCH /api/v2/connections/{id} with the options), and the groups the last logins saw as
/// suggestions. Offered for connections that are <see cref="IDirectoryConnection"/>s.
/// </summary>
public sealed class ConnectionRolesModel(IGatehouseStore store, ConnectionCache strategies, ConnectionEditor editor) : DashboardPageModel
{
    /// <summary>How many of the most recently signed-in users the suggestions come from, and how many groups they list.</summary>
    public const int UsersSampled = 50, GroupsSuggested = 200;

    private const string Property = "gatehouse_role_mappings";

    /// <summary>A group seen at the last logins: its id, name, and how many of the sampled users are in it.</summary>
    public sealed record SeenGroup(string Id, string? Name, int Users);

    public Connection Connection { get; private set; } = null!;
    public IReadOnlyList<RoleMappingRule> Rules { get; private set; } = [];
    public IReadOnlyDictionary<string, Role> RolesById { get; private set; } = new Dictionary<string, Role>();
    public IReadOnlyList<Role> AllRoles { get; private set; } = [];
    public IReadOnlyList<SeenGroup> SeenGroups { get; private set; } = [];
    public string Source { get; private set; } = "group";
    public string Match { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string id) => await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAddAsync(string id, string? source, string? match, string? roleId)
    {
        if (!await LoadAsync(id))
            return NotFound();
        (Source, Match) = (source ?? "", match?.Trim() ?? "");
        if (Source is not ("group" or "app_role"))
            Errors["source"] = "Choose a group or an app role.";
        if (Match.Length == 0)
            Errors["match"] = "Enter a group (object id or display name) or an app role value.";
        if (string.IsNullOrEmpty(roleId) || !RolesById.ContainsKey(roleId))
            Errors["roleId"] = "Choose a role.";
        if (Errors.Count > 0)
            return Page();
        var rules = Serialized(Rules);
        rules.Add(new JsonObject { [Source] = Match, ["roles"] = new JsonArray(roleId) });
        return await SaveAsync(rules, "Rule added: it applies from the next token.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string id, int index)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (index < 0 || index >= Rules.Count)
            return BadRequest();
        var rules = Serialized(Rules);
        rules.RemoveAt(index);
        return await SaveAsync(rules, "Rule removed.");
    }

    private async Task<IActionResult> SaveAsync(JsonArray rules, string notice)
    {
        var options = editor.CurrentOptions(Connection);
        options[Property] = rules;
        var result = await editor.UpdateAsync(Actor, Connection, options, Connection.EnabledClients,
            field => field.StartsWith(Property, StringComparison.Ordinal) ? (field.Contains(".roles", StringComparison.Ordinal) ? "roleId" : "match") : "options",
            HttpContext.RequestAborted);
        if (result.Saved is null)
        {
            foreach (var (field, message) in result.Errors)
                Errors[field] = message;
            return Page();
        }
        Notice(notice);
        return Redirect("/dashboard/connections/enterprise/roles/" + Connection.Id);
    }

    private static JsonArray Serialized(IEnumerable<RoleMappingRule> rules) =>
        new([.. rules.Select(r => (JsonNode)new JsonObject
        {
            [r.Source == RoleMappingSource.AppRole ? "app_role" : "group"] = r.Match,
            ["roles"] = new JsonArray([.. r.RoleIds.Select(role => (JsonNode)role)]),
        })]);

    private async Task<bool> LoadAsync(string id)
    {
        var ct = HttpContext.RequestAborted;
        if (id.Length > 128 || await store.GetConnectionAsync(id, ct) is not { } connection || strategies.Get(connection) is not IDirectoryConnection directory)
            return false;
        Connection = connection;
        Rules = directory.RoleMapping.Rules;
        AllRoles = (await store.ListRolesAsync(new RoleQuery(null, PageRequest.All), ct)).Items;
        RolesById = AllRoles.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var recent = await store.ListUsersAsync(new UserQuery(null, connection.Name, "last_login", true, new PageRequest(0, UsersSampled)), ct);
        SeenGroups = recent.Items.SelectMany(u => directory.ReadProfile(u).Groups)
            .GroupBy(g => g.Id, StringComparer.OrdinalIgnoreCase)
            .Select(g => new SeenGroup(g.Key, g.Select(x => x.DisplayName).FirstOrDefault(n => n is not null), g.Count()))
            .OrderByDescending(g => g.Users).ThenBy(g => g.Name ?? g.Id, StringComparer.OrdinalIgnoreCase)
            .Take(GroupsSuggested).ToList();
        return true;
    }
}

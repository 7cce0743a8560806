using System.Text.Json;
using Gatehouse.Core.Claims;

namespace Gatehouse.Core.Access;

/// <summary>
/// Reads <c>gatehouse_access_rules</c>: <c>{"roles": ["rol_..."], "groups": ["&lt;object id or display name&gt;"],
/// "connections": ["&lt;connection name&gt;"], "tenants": ["&lt;tenant id&gt;"]}</c>, each list 1 to its maximum items;
/// an empty list would let no one in and is refused (leave the member out instead). Null or absent: no rules.
/// </summary>
public static class AccessRulesReader
{
    public const int MaxItems = 100;

    public static (AccessRules? Rules, IReadOnlyList<SettingProblem> Problems) Read(JsonElement? value)
    {
        var problems = new List<SettingProblem>();
        if (value is not { } v || v.ValueKind == JsonValueKind.Null)
            return (null, problems);
        var json = new ExtensionJson(AccessRules.PropertyName, v, problems);
        if (!json.IsObjectOf("roles", "groups", "connections", "tenants"))
            return (null, problems);

        IReadOnlyList<string>? List(string name, Func<string, string?>? item)
        {
            var list = json.Strings(name, MaxItems, item);
            if (list is { Count: 0 })
                json.Fail($"{json.Path}.{name}", "must not be empty (an empty list lets no one in; leave it out to allow everyone)");
            return list;
        }

        var roles = List("roles", ExtensionJson.RoleIdProblem);
        var groups = List("groups", null);
        var connections = List("connections", null);
        // Tenant ids only: a token's user carries the tid, not the tenant's domains.
        var tenants = List("tenants", t => Guid.TryParseExact(t, "D", out _) ? null : "must be a tenant id (GUID)");
        return problems.Count == 0
            ? (new AccessRules(roles, groups, connections, tenants?.Select(Guid.Parse).ToList()), problems)
            : (null, problems);
    }
}

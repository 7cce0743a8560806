using System.Text.Json;
using Gatehouse.Core.Claims;

namespace Gatehouse.Core.Membership;

/// <summary>
/// Reads a connection's group-to-role mapping, an array of rules:
/// <c>[{"group": "&lt;object id or display name&gt;", "roles": ["rol_..."]}, {"app_role": "&lt;value&gt;", "roles": [...]}]</c>.
/// Each rule names exactly one of <c>group</c> and <c>app_role</c> and 1 to <see cref="MaxRolesPerRule"/> role ids;
/// unknown members are refused. Every problem is reported with its path (<c>gatehouse_role_mappings[2].roles</c>).
/// </summary>
public static class RoleMappingReader
{
    public const int MaxRules = 500;
    public const int MaxRolesPerRule = 50;

    public static (RoleMapping? Mapping, IReadOnlyList<SettingProblem> Problems) Read(string name, JsonElement? value)
    {
        var problems = new List<SettingProblem>();
        if (value is not { } array || array.ValueKind == JsonValueKind.Null)
            return (RoleMapping.None, problems);
        if (array.ValueKind != JsonValueKind.Array)
            return (null, [new SettingProblem(name, "must be an array of rules ({\"group\" or \"app_role\", \"roles\"})")]);
        if (array.GetArrayLength() > MaxRules)
            return (null, [new SettingProblem(name, $"must have at most {MaxRules} rules")]);

        var rules = new List<RoleMappingRule>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var rule = new ExtensionJson($"{name}[{i++}]", item, problems);
            if (!rule.IsObjectOf("group", "app_role", "roles"))
                continue;
            var group = rule.String("group");
            var appRole = rule.String("app_role");
            var roles = rule.Strings("roles", MaxRolesPerRule, ExtensionJson.RoleIdProblem);
            if (rule.Has("group") == rule.Has("app_role"))
                rule.Fail(rule.Path, "must name exactly one of group and app_role");
            else if (roles is null or { Count: 0 } && !problems.Any(p => p.Path.StartsWith(rule.Path + ".roles", StringComparison.Ordinal)))
                rule.Fail(rule.Path + ".roles", "must name 1 or more role ids");
            else if (roles is not null && (group ?? appRole) is { } match)
                rules.Add(new RoleMappingRule(group is not null ? RoleMappingSource.Group : RoleMappingSource.AppRole, match, roles));
        }

        return problems.Count == 0 ? (new RoleMapping(rules), problems) : (null, problems);
    }

    /// <summary>Every role id the mapping names (for the check that the roles exist).</summary>
    public static IReadOnlyList<string> RoleIds(RoleMapping mapping) =>
        [.. (mapping ?? RoleMapping.None).Rules.SelectMany(r => r.RoleIds).Distinct(StringComparer.Ordinal)];
}

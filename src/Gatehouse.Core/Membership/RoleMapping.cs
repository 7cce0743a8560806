namespace Gatehouse.Core.Membership;

/// <summary>What a mapping rule matches: a directory group (by object id or display name) or an app role (by value).</summary>
public enum RoleMappingSource
{
    Group,
    AppRole,
}

/// <summary>
/// One rule of a connection's group-to-role mapping: users in the group (or holding the app role) get the roles, named by
/// role id (<c>rol_...</c>, stable when a role is renamed). A group is matched by object id when <see cref="Match"/> is a
/// GUID, else by display name, case-insensitively; an app role by its value, exactly.
/// </summary>
public sealed record RoleMappingRule(RoleMappingSource Source, string Match, IReadOnlyList<string> RoleIds);

/// <summary>
/// A connection's mapping from directory groups and app roles to Gatehouse roles (docs/waad.md, "Groups to roles"). The
/// mapped roles are computed from the user's <see cref="DirectoryProfile"/> whenever tokens are issued, never stored as
/// assignments: they add to the roles assigned directly (a union), and leave with the group at the next login.
/// </summary>
public sealed class RoleMapping
{
    public static readonly RoleMapping None = new([]);

    private readonly Dictionary<string, List<string>> _byGroupId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _byGroupName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _byAppRole = new(StringComparer.Ordinal);

    public RoleMapping(IReadOnlyList<RoleMappingRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules;
        foreach (var rule in rules)
        {
            var index = rule.Source == RoleMappingSource.AppRole ? _byAppRole
                : Guid.TryParse(rule.Match, out _) ? _byGroupId : _byGroupName;
            if (!index.TryGetValue(rule.Match, out var roles))
                index[rule.Match] = roles = [];
            roles.AddRange(rule.RoleIds);
        }
    }

    public IReadOnlyList<RoleMappingRule> Rules { get; }

    public bool IsEmpty => Rules.Count == 0;

    /// <summary>The role ids the profile's groups and app roles map to, each once, in rule order of first match. O(groups + app roles).</summary>
    public IReadOnlyList<string> Map(DirectoryProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (IsEmpty)
            return [];
        var mapped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(List<string>? roles)
        {
            foreach (var role in roles ?? [])
            {
                if (seen.Add(role))
                    mapped.Add(role);
            }
        }

        foreach (var group in profile.Groups)
        {
            Add(_byGroupId.GetValueOrDefault(group.Id));
            if (group.DisplayName is { } name)
                Add(_byGroupName.GetValueOrDefault(name));
        }

        foreach (var appRole in profile.AppRoles)
            Add(_byAppRole.GetValueOrDefault(appRole));
        return mapped;
    }
}

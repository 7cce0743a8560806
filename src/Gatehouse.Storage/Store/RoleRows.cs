using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Store;

/// <summary>The orders of role query results, shared by the EF and in-memory stores so both answer alike.</summary>
internal static class RoleRows
{
    public static IReadOnlyList<string> Sorted(IEnumerable<string> names) =>
        names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>By API identifier, permission name, then source: direct first, then roles by name and id.</summary>
    public static IReadOnlyList<UserPermission> UserPermissions(IEnumerable<UserPermission> rows) =>
        rows.Distinct()
            .OrderBy(p => p.Permission.ResourceServerIdentifier, StringComparer.Ordinal)
            .ThenBy(p => p.Permission.PermissionName, StringComparer.Ordinal)
            .ThenBy(p => p.RoleId is null ? 0 : 1)
            .ThenBy(p => p.RoleName, StringComparer.Ordinal)
            .ThenBy(p => p.RoleId, StringComparer.Ordinal)
            .ToList();
}

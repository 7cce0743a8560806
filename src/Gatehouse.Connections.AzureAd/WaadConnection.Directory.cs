using System.Text.Json;
using Gatehouse.Core.Membership;
using Gatehouse.Core.Storage;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// The user's Azure AD groups, app roles and directory attributes, read back from what the last login stored
/// (<see cref="WaadProfileBuilder"/>: <c>groups</c> and <c>group_ids</c> side by side, <c>roles</c>, <c>upn</c>,
/// <c>tenantid</c>, <c>oid</c>, <c>job_title</c>, <c>department</c>), and the connection's group-to-role mapping.
/// </summary>
internal sealed partial class WaadConnection
{
    public RoleMapping RoleMapping => options?.RoleMapping ?? RoleMapping.None;

    public DirectoryProfile ReadProfile(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return WaadDirectoryProfile.Read(user.Attributes);
    }
}

/// <summary>Reads a <see cref="DirectoryProfile"/> from a waad user's stored attributes.</summary>
internal static class WaadDirectoryProfile
{
    public static DirectoryProfile Read(JsonElement? attributes)
    {
        if (attributes is not { ValueKind: JsonValueKind.Object } a)
        {
            return DirectoryProfile.Empty;
        }

        var names = Strings(a, "groups");
        var ids = Strings(a, "group_ids");
        var groups = new List<DirectoryGroup>(ids.Count);
        if (ids.Count > 0)
        {
            // groups[i] is group_ids[i]'s display name, or its id when the group has none.
            for (var i = 0; i < ids.Count; i++)
            {
                var name = names.Count == ids.Count && names[i] != ids[i] ? names[i] : null;
                groups.Add(new DirectoryGroup(ids[i], name));
            }
        }

        return new DirectoryProfile(
            groups,
            a.TryGetProperty("groups_truncated", out var t) && t.ValueKind == JsonValueKind.True,
            Strings(a, "roles"),
            String(a, "upn"),
            String(a, "tenantid"),
            String(a, "oid"),
            String(a, "job_title"),
            String(a, "department"));
    }

    private static List<string> Strings(JsonElement a, string name) =>
        a.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];

    private static string? String(JsonElement a, string name) =>
        a.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

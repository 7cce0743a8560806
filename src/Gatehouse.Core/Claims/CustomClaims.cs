using System.Text.Json;
using Gatehouse.Core.Membership;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Claims;

/// <summary>
/// Writes the directory facts an API and an application chose (<see cref="ClaimSettings"/>) as namespaced claims:
/// the API's settings for its access tokens, the application's for its id tokens and added to its access tokens (the
/// API's win a claim both choose). Groups are filtered, then capped: past the cap the claim is left out and
/// <c>{namespace}groups_overage: true</c> is written, so a token never grows with the directory. Reads the user's roles
/// only when a <c>roles</c> claim is chosen.
/// </summary>
public static class CustomClaims
{
    /// <summary>The settings stored on a client's or an API's <c>Extra</c>; bad stored settings add nothing.</summary>
    public static ClaimSettings? SettingsOf(JsonElement? extra, bool forResourceServer) =>
        extra is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(ClaimSettings.PropertyName, out var value)
            ? ClaimSettingsReader.Read(value, forResourceServer).Settings
            : null;

    /// <summary>The claims of one token: each chosen kind from the first settings (in order) that chooses it.</summary>
    public static async Task<Dictionary<string, object>> BuildAsync(
        IEnumerable<(ClaimSettings Settings, IReadOnlyList<string> Kinds)> choices, LoginSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentNullException.ThrowIfNull(subject);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (settings, kinds) in choices)
        {
            foreach (var kind in kinds)
            {
                if (done.Add(kind))
                    await AddAsync(claims, settings, kind, subject, ct);
            }
        }
        return claims;
    }

    private static async Task AddAsync(Dictionary<string, object> claims, ClaimSettings s, string kind, LoginSubject subject, CancellationToken ct)
    {
        var p = subject.Profile;
        object? value = kind switch
        {
            ClaimKinds.Roles => await subject.RolesAsync(ct) is { Count: > 0 } roles ? roles.Select(r => r.Name).ToArray() : null,
            ClaimKinds.AppRoles => p.AppRoles.Count > 0 ? p.AppRoles.ToArray() : null,
            ClaimKinds.Upn => p.Upn,
            ClaimKinds.Tid => p.TenantId,
            ClaimKinds.Oid => p.ObjectId,
            ClaimKinds.JobTitle => p.JobTitle,
            ClaimKinds.Department => p.Department,
            _ => null,
        };
        if (kind == ClaimKinds.Groups)
        {
            var (groups, overage) = Groups(s, p);
            if (overage)
                claims[s.Namespace + ClaimKinds.GroupsOverage] = true;
            else if (groups.Count > 0)
                value = groups.ToArray();
        }
        if (value is not null)
            claims[s.Namespace + kind] = value;
    }

    /// <summary>The groups as written (names or ids), filtered; overage when more than the cap remain or the directory's list was incomplete.</summary>
    public static (IReadOnlyList<string> Groups, bool Overage) Groups(ClaimSettings settings, DirectoryProfile profile)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(profile);
        HashSet<string>? only = settings.GroupsOnly is { } list ? new(list, StringComparer.OrdinalIgnoreCase) : null;
        var written = new List<string>();
        foreach (var group in profile.Groups)
        {
            var value = settings.GroupFormat == GroupClaimFormat.Ids ? group.Id : group.DisplayName ?? group.Id;
            if (settings.GroupPrefix is { } prefix && !value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                continue;
            if (only is not null && !only.Contains(group.Id) && !(group.DisplayName is { } name && only.Contains(name)))
                continue;
            written.Add(value);
            if (written.Count > settings.MaxGroups)
                return ([], true);
        }
        return profile.GroupsIncomplete ? ([], true) : (written, false);
    }
}

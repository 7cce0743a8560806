using System.Text.Json;
using Gatehouse.Core.Membership;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Access;

/// <summary>Which condition of an application's access rules refused a user, and the description the user is shown.</summary>
public sealed record AccessDenial(string Rule, string Description)
{
    public const string RolesOrGroups = "roles_or_groups";
    public const string Connections = "connections";
    public const string Tenants = "tenants";
}

/// <summary>
/// An application's access rules (<see cref="AccessRules"/>, <c>gatehouse_access_rules</c>) applied to a user: the one
/// decision, shared by the token pipeline (password, device, refresh, code exchange) and the browser's sign-in
/// completion, so a refused user gets no code and no token on any path. Reads the user's roles only when a rule names
/// roles; costs nothing for an application without rules.
/// </summary>
public sealed class AccessPolicy
{
    public async Task<AccessDenial?> CheckAsync(Client client, LoginSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(subject);
        if (RulesOf(client) is not { IsEmpty: false } rules)
            return null;
        var app = client.Name;

        if (rules.Connections is { } connections && !connections.Contains(subject.Connection?.Name ?? "", StringComparer.Ordinal))
            return new(AccessDenial.Connections, $"Access to {app} is limited to users of some connections; this user's connection is not one of them.");

        if (rules.Tenants is { } tenants
            && !(Guid.TryParse(subject.Profile.TenantId, out var tid) && tenants.Contains(tid)))
            return new(AccessDenial.Tenants, $"Access to {app} is limited to users of some Azure AD tenants; this user's tenant is not one of them.");

        if (rules.Roles is not null || rules.Groups is not null)
        {
            var inGroup = rules.Groups is { } groups && subject.Profile.Groups.Any(g =>
                groups.Contains(g.Id, StringComparer.OrdinalIgnoreCase)
                || (g.DisplayName is { } name && groups.Contains(name, StringComparer.OrdinalIgnoreCase)));
            var hasRole = !inGroup && rules.Roles is { } wanted && (await subject.RolesAsync(ct)).Any(r => wanted.Contains(r.Id, StringComparer.Ordinal));
            if (!inGroup && !hasRole)
                return new(AccessDenial.RolesOrGroups, $"Access to {app} is limited to users with some roles or groups; this user has none of them.");
        }

        return null;
    }

    /// <summary>The client's rules as the Management API validated them; rules stored bad (never through the API) refuse everyone.</summary>
    private static AccessRules? RulesOf(Client client)
    {
        if (client.Extra is not { ValueKind: JsonValueKind.Object } extra || !extra.TryGetProperty(AccessRules.PropertyName, out var value))
            return null;
        var (rules, problems) = AccessRulesReader.Read(value);
        return problems.Count == 0 ? rules : new AccessRules([], null, null, null);
    }
}

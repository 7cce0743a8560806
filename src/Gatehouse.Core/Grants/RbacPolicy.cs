using Gatehouse.Core.Membership;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Core.Grants;

/// <summary>
/// Auth0's RBAC on the token path, applied by <see cref="TokenPipeline"/> to every grant before tokens are minted, so
/// every user grant (password, refresh, authorization code, ...) gets it without code of its own. When the API enforces
/// policies, a user's access token carries only the requested scopes the user holds as permissions on that API (direct
/// or through roles; OIDC scopes pass), and with an *_authz dialect every such permission in a <c>permissions</c> claim.
/// Client credentials are governed by client grants, not by users' permissions: untouched. The cost: the API's record
/// from <see cref="ConfigCache"/> for every grant (a memory hit, the grant having just read it there), plus one store
/// read of the user's permissions only when the API enforces policies.
/// </summary>
public sealed class RbacPolicy(ConfigCache config, IRoleStore roles)
{
    /// <param name="subject">The user's roles mapped from directory groups count as directly assigned ones (<see cref="LoginSubject.MappedRoleIds"/>).</param>
    public async Task<TokenGrant> ApplyAsync(TokenGrant grant, LoginSubject? subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var api = grant.Audience.Length <= 600 ? await config.GetResourceServerByIdentifierAsync(grant.Audience, ct) : null;
        if (api is null)
            return grant;
        var dialect = ApiTokenSettings.Dialect(api);
        grant = grant with { Rfc9068Profile = ApiTokenSettings.IsRfc9068(dialect) };
        if (grant.User is not { } user || !ApiTokenSettings.EnforcesPolicies(api))
            return grant;

        // Only scopes the API still defines count (a scope taken off the API is no one's permission).
        var defined = api.Scopes.Select(s => s.Value).ToHashSet(StringComparer.Ordinal);
        var held = (await roles.ListEffectivePermissionsAsync(user.UserId, api.Identifier, ct)).ToList();
        held = [.. held.Union(await MappedPermissionsAsync(subject, api.Identifier, ct), StringComparer.Ordinal).Where(defined.Contains)
            .Order(StringComparer.Ordinal)];
        var scopes = grant.Scopes.Where(s => ScopePolicy.OidcScopes.Contains(s) || held.Contains(s, StringComparer.Ordinal)).ToList();
        return grant with
        {
            Scopes = scopes,
            ReturnScope = grant.ReturnScope || (scopes.Count != grant.Scopes.Count && !grant.Legacy),
            Permissions = ApiTokenSettings.AddsPermissions(dialect) ? held : null,
        };
    }

    /// <summary>The permissions on the API of the roles the user's groups map to: one read per mapped role, none without a mapping.</summary>
    private async Task<IReadOnlyList<string>> MappedPermissionsAsync(LoginSubject? subject, string api, CancellationToken ct)
    {
        if (subject is not { MappedRoleIds.Count: > 0 } s)
            return [];
        var names = new List<string>();
        foreach (var roleId in s.MappedRoleIds)
        {
            var permissions = await roles.ListRolePermissionsAsync(roleId, PageRequest.All, ct);
            names.AddRange(permissions.Items.Where(p => p.ResourceServerIdentifier == api).Select(p => p.PermissionName));
        }
        return names;
    }
}

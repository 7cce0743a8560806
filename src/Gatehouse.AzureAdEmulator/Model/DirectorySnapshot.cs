namespace Gatehouse.AzureAd.Emulator.Model;

/// <summary>
/// An immutable, indexed view of one validated seed. Requests read one snapshot from start to end, so a
/// runtime change never shows a half-updated directory.
/// </summary>
internal sealed class DirectorySnapshot
{
    private readonly Dictionary<string, Tenant> _tenantsByKey = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Resource> _resourcesByIdentifier = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, App> _apps = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, User> _usersByUpn = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, User> _usersById = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Group> _groups = new(StringComparer.OrdinalIgnoreCase);

    public DirectorySnapshot(EmulatorSeed seed, long generation)
    {
        Seed = seed;
        Generation = generation;
        foreach (var t in seed.Tenants)
        {
            var tenant = new Tenant(t);
            _tenantsByKey[tenant.Id] = tenant;
            _tenantsByKey[t.DefaultDomain] = tenant;
            foreach (var d in t.VerifiedDomains) _tenantsByKey[d] = tenant;
        }
        foreach (var r in new[] { Resource.MicrosoftGraph, Resource.AadGraph })
        {
            _resourcesByIdentifier[r.AppId] = r;
            _resourcesByIdentifier[r.PrimaryUri] = r;
        }
        var appResources = seed.Apps.ToDictionary(a => a.AppId, ToResource, StringComparer.OrdinalIgnoreCase);
        foreach (var (appId, resource) in appResources)
        {
            _resourcesByIdentifier[appId] = resource;
            foreach (var uri in seed.Apps.First(a => a.AppId == appId).IdentifierUris)
                _resourcesByIdentifier[uri.TrimEnd('/')] = resource;
        }
        foreach (var a in seed.Apps)
        {
            var permissions = new Dictionary<string, PermissionGrant>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in a.RequiredResourceAccess)
            {
                var resource = FindResource(p.Resource)!;
                permissions[resource.AppId] = new PermissionGrant(
                    resource, new HashSet<string>(p.Scopes, StringComparer.OrdinalIgnoreCase), p.ConsentGranted);
            }
            _apps[a.AppId] = new App { Seed = a, AsResource = appResources[a.AppId], Permissions = permissions };
        }
        foreach (var g in seed.Groups) _groups[g.Id] = new Group(g);
        foreach (var u in seed.Users)
        {
            var user = new User(u, _tenantsByKey[u.TenantId]);
            _usersByUpn[u.UserPrincipalName] = user;
            _usersById[u.Id] = user;
        }
        ComputeMemberships();
    }

    public EmulatorSeed Seed { get; }
    public long Generation { get; }
    public EmulatorSettings Settings => Seed.Settings;

    /// <summary>A tenant by GUID or by any of its domains.</summary>
    public Tenant? FindTenant(string key) => _tenantsByKey.GetValueOrDefault(key);

    public App? FindApp(string appId) => _apps.GetValueOrDefault(appId);

    /// <summary>A resource by App ID URI (trailing slash ignored) or app id.</summary>
    public Resource? FindResource(string identifier) =>
        _resourcesByIdentifier.GetValueOrDefault(identifier.Length > 1 ? identifier.TrimEnd('/') : identifier);

    public User? FindUserByUpn(string upn) => _usersByUpn.GetValueOrDefault(upn);

    public User? FindUserById(string id) => _usersById.GetValueOrDefault(id);

    /// <summary>A user by object id or UPN.</summary>
    public User? FindUser(string idOrUpn) => FindUserById(idOrUpn) ?? FindUserByUpn(idOrUpn);

    public Group? FindGroup(string id) => _groups.GetValueOrDefault(id);

    private static Resource ToResource(SeedApp a) => new()
    {
        AppId = a.AppId.ToLowerInvariant(),
        DisplayName = a.DisplayName,
        PrimaryUri = a.IdentifierUris.Count > 0 ? a.IdentifierUris[0].TrimEnd('/') : a.AppId.ToLowerInvariant(),
        TokenVersion = a.AccessTokenAcceptedVersion,
        GroupMembershipClaims = a.GroupMembershipClaims,
        AppRoles = a.AppRoles,
        TenantId = a.TenantId.ToLowerInvariant(),
    };

    private void ComputeMemberships()
    {
        var parents = new Dictionary<string, List<Group>>(StringComparer.OrdinalIgnoreCase);
        foreach (var g in _groups.Values)
            foreach (var m in g.Seed.Members)
            {
                if (!parents.TryGetValue(m, out var list)) parents[m] = list = [];
                list.Add(g);
            }
        foreach (var user in _usersById.Values)
        {
            var direct = parents.GetValueOrDefault(user.Id) ?? [];
            user.MemberOf = direct;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var all = new List<Group>();
            var queue = new Queue<Group>(direct);
            while (queue.Count > 0)
            {
                var g = queue.Dequeue();
                if (!seen.Add(g.Id)) continue;
                all.Add(g);
                foreach (var p in parents.GetValueOrDefault(g.Id) ?? []) queue.Enqueue(p);
            }
            user.TransitiveMemberOf = all;
        }
    }
}

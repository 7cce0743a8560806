using Gatehouse.AzureAd.Emulator.Model;

namespace Gatehouse.AzureAd.Emulator;

/// <summary>Checks a whole seed for mistakes and names each one with its JSON path.</summary>
internal static class SeedValidator
{
    private static readonly string[] GroupClaimValues = ["None", "SecurityGroup", "All"];
    private static readonly string[] MfaErrors = ["invalid_grant", "interaction_required"];
    private static readonly string[] OverageForms = ["emulator", "graph.windows.net"];
    private static readonly string[] Separators = ["crlf", "space"];
    private static readonly string[] UserTypes = ["Member", "Guest"];

    public static void ThrowIfInvalid(EmulatorSeed seed)
    {
        var errors = Validate(seed);
        if (errors.Count > 0) throw new SeedValidationException(errors);
    }

    public static List<SeedError> Validate(EmulatorSeed seed)
    {
        var errors = new List<SeedError>();
        var tenants = ValidateTenants(seed, errors);
        var apps = ValidateApps(seed, tenants, errors);
        var objectIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase); // id -> tenant
        ValidateUsers(seed, tenants, apps, objectIds, errors);
        ValidateGroups(seed, tenants, objectIds, errors);
        ValidateSettings(seed.Settings, errors);
        return errors;
    }

    private static Dictionary<string, SeedTenant> ValidateTenants(EmulatorSeed seed, List<SeedError> errors)
    {
        var byId = new Dictionary<string, SeedTenant>(StringComparer.OrdinalIgnoreCase);
        var domains = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (seed.Tenants.Count == 0) errors.Add(new("$.tenants", "at least one tenant is required"));
        for (var i = 0; i < seed.Tenants.Count; i++)
        {
            var t = seed.Tenants[i];
            var path = $"$.tenants[{i}]";
            if (RequireGuid(t.Id, $"{path}.id", errors) && !byId.TryAdd(t.Id, t))
                errors.Add(new($"{path}.id", $"duplicate tenant id '{t.Id}'"));
            if (!t.DefaultDomain.EndsWith(".onmicrosoft.com", StringComparison.OrdinalIgnoreCase)
                || t.DefaultDomain.Length <= ".onmicrosoft.com".Length)
                errors.Add(new($"{path}.defaultDomain", $"'{t.DefaultDomain}' must be a *.onmicrosoft.com domain"));
            else if (!domains.Add(t.DefaultDomain))
                errors.Add(new($"{path}.defaultDomain", $"domain '{t.DefaultDomain}' is already used"));
            for (var d = 0; d < t.VerifiedDomains.Count; d++)
            {
                var domain = t.VerifiedDomains[d];
                if (!IsDomain(domain))
                    errors.Add(new($"{path}.verifiedDomains[{d}]", $"'{domain}' is not a domain name"));
                else if (!domains.Add(domain))
                    errors.Add(new($"{path}.verifiedDomains[{d}]", $"domain '{domain}' is already used"));
            }
        }
        return byId;
    }

    private static Dictionary<string, SeedApp> ValidateApps(
        EmulatorSeed seed, Dictionary<string, SeedTenant> tenants, List<SeedError> errors)
    {
        var byId = new Dictionary<string, SeedApp>(StringComparer.OrdinalIgnoreCase);
        var uris = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < seed.Apps.Count; i++)
        {
            var a = seed.Apps[i];
            var path = $"$.apps[{i}]";
            if (RequireGuid(a.AppId, $"{path}.appId", errors))
            {
                if (a.AppId is WellKnownResources.MicrosoftGraphAppId or WellKnownResources.AadGraphAppId)
                    errors.Add(new($"{path}.appId", $"'{a.AppId}' is a first-party Microsoft app id"));
                else if (!byId.TryAdd(a.AppId, a))
                    errors.Add(new($"{path}.appId", $"duplicate app id '{a.AppId}'"));
            }
            RequireTenant(a.TenantId, $"{path}.tenantId", tenants, errors);
            if (string.IsNullOrWhiteSpace(a.DisplayName)) errors.Add(new($"{path}.displayName", "is required"));
            for (var u = 0; u < a.IdentifierUris.Count; u++)
            {
                var uri = a.IdentifierUris[u];
                if (!Uri.TryCreate(uri, UriKind.Absolute, out _))
                    errors.Add(new($"{path}.identifierUris[{u}]", $"'{uri}' is not an absolute URI"));
                else if (WellKnownResources.IsMicrosoftGraph(uri) || WellKnownResources.IsAadGraph(uri) || !uris.Add(uri.TrimEnd('/')))
                    errors.Add(new($"{path}.identifierUris[{u}]", $"App ID URI '{uri}' is already used"));
            }
            for (var s = 0; s < a.Secrets.Count; s++)
                if (string.IsNullOrEmpty(a.Secrets[s].Value))
                    errors.Add(new($"{path}.secrets[{s}].value", "is required"));
            if (!GroupClaimValues.Contains(a.GroupMembershipClaims))
                errors.Add(new($"{path}.groupMembershipClaims", $"'{a.GroupMembershipClaims}' is not one of {string.Join(", ", GroupClaimValues)}"));
            if (a.SignInAudience is not (SignInAudiences.MyOrg or SignInAudiences.MultipleOrgs))
                errors.Add(new($"{path}.signInAudience", $"'{a.SignInAudience}' is not one of {SignInAudiences.MyOrg}, {SignInAudiences.MultipleOrgs}"));
            if (a.AccessTokenAcceptedVersion is not (1 or 2))
                errors.Add(new($"{path}.accessTokenAcceptedVersion", "must be 1 or 2"));
            if (a.AppRoles.Distinct(StringComparer.Ordinal).Count() != a.AppRoles.Count)
                errors.Add(new($"{path}.appRoles", "contains a duplicate role"));
            for (var r = 0; r < a.RedirectUris.Count; r++)
                if (RedirectUriRule.Problem(a.RedirectUris[r]) is { } problem)
                    errors.Add(new($"{path}.redirectUris[{r}]", problem));
        }
        for (var i = 0; i < seed.Apps.Count; i++)
            ValidatePermissions(seed.Apps[i], $"$.apps[{i}]", seed.Apps, errors);
        return byId;
    }

    private static void ValidatePermissions(SeedApp app, string path, IReadOnlyList<SeedApp> apps, List<SeedError> errors)
    {
        for (var p = 0; p < app.RequiredResourceAccess.Count; p++)
        {
            var permission = app.RequiredResourceAccess[p];
            var at = $"{path}.requiredResourceAccess[{p}]";
            if (WellKnownResources.IsMicrosoftGraph(permission.Resource) || WellKnownResources.IsAadGraph(permission.Resource))
            {
                for (var s = 0; s < permission.Scopes.Count; s++)
                    if (string.IsNullOrWhiteSpace(permission.Scopes[s]) || permission.Scopes[s].Contains(' ', StringComparison.Ordinal))
                        errors.Add(new($"{at}.scopes[{s}]", $"'{permission.Scopes[s]}' is not a scope name"));
                continue;
            }
            var resource = apps.FirstOrDefault(a =>
                string.Equals(a.AppId, permission.Resource, StringComparison.OrdinalIgnoreCase)
                || a.IdentifierUris.Any(u => string.Equals(u.TrimEnd('/'), permission.Resource.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)));
            if (resource is null)
            {
                errors.Add(new($"{at}.resource", $"resource '{permission.Resource}' is neither Microsoft Graph, Azure AD Graph, nor an app id or App ID URI in this seed"));
                continue;
            }
            for (var s = 0; s < permission.Scopes.Count; s++)
                if (!resource.ExposedScopes.Contains(permission.Scopes[s], StringComparer.Ordinal))
                    errors.Add(new($"{at}.scopes[{s}]", $"scope '{permission.Scopes[s]}' is not exposed by '{resource.DisplayName}'"));
        }
    }

    private static void ValidateUsers(
        EmulatorSeed seed, Dictionary<string, SeedTenant> tenants, Dictionary<string, SeedApp> apps,
        Dictionary<string, string> objectIds, List<SeedError> errors)
    {
        var upns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < seed.Users.Count; i++)
        {
            var u = seed.Users[i];
            var path = $"$.users[{i}]";
            if (RequireGuid(u.Id, $"{path}.id", errors) && !objectIds.TryAdd(u.Id, u.TenantId))
                errors.Add(new($"{path}.id", $"duplicate object id '{u.Id}'"));
            var tenant = RequireTenant(u.TenantId, $"{path}.tenantId", tenants, errors);
            var at = u.UserPrincipalName.LastIndexOf('@');
            if (at <= 0 || at == u.UserPrincipalName.Length - 1)
                errors.Add(new($"{path}.userPrincipalName", $"'{u.UserPrincipalName}' is not a user principal name (name@domain)"));
            else if (!upns.Add(u.UserPrincipalName))
                errors.Add(new($"{path}.userPrincipalName", $"duplicate UPN '{u.UserPrincipalName}'"));
            else if (tenant is not null && !TenantHasDomain(tenant, u.UserPrincipalName[(at + 1)..]))
                errors.Add(new($"{path}.userPrincipalName", $"domain '{u.UserPrincipalName[(at + 1)..]}' is not a domain of tenant '{tenant.DefaultDomain}'"));
            var needsPassword = !u.GuestMsa && (!u.Federated || u.CloudPasswordValidation);
            if (needsPassword && string.IsNullOrEmpty(u.Password))
                errors.Add(new($"{path}.password", "is required for a user who signs in with a cloud password"));
            if (!UserTypes.Contains(u.UserType))
                errors.Add(new($"{path}.userType", $"'{u.UserType}' is not Member or Guest"));
            if (string.IsNullOrWhiteSpace(u.DisplayName)) errors.Add(new($"{path}.displayName", "is required"));
            for (var r = 0; r < u.AppRoleAssignments.Count; r++)
            {
                var assignment = u.AppRoleAssignments[r];
                if (!apps.TryGetValue(assignment.AppId, out var app))
                    errors.Add(new($"{path}.appRoleAssignments[{r}].appId", $"app '{assignment.AppId}' does not exist"));
                else if (assignment.Role is not null && !app.AppRoles.Contains(assignment.Role, StringComparer.Ordinal))
                    errors.Add(new($"{path}.appRoleAssignments[{r}].role", $"app '{app.DisplayName}' has no role '{assignment.Role}'"));
            }
        }
    }

    private static void ValidateGroups(
        EmulatorSeed seed, Dictionary<string, SeedTenant> tenants, Dictionary<string, string> objectIds, List<SeedError> errors)
    {
        var groupIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < seed.Groups.Count; i++)
        {
            var g = seed.Groups[i];
            if (RequireGuid(g.Id, $"$.groups[{i}].id", errors))
            {
                if (!objectIds.TryAdd(g.Id, g.TenantId)) errors.Add(new($"$.groups[{i}].id", $"duplicate object id '{g.Id}'"));
                else groupIds.Add(g.Id);
            }
            RequireTenant(g.TenantId, $"$.groups[{i}].tenantId", tenants, errors);
            if (string.IsNullOrWhiteSpace(g.DisplayName)) errors.Add(new($"$.groups[{i}].displayName", "is required"));
        }
        for (var i = 0; i < seed.Groups.Count; i++)
        {
            var g = seed.Groups[i];
            for (var m = 0; m < g.Members.Count; m++)
            {
                var member = g.Members[m];
                var at = $"$.groups[{i}].members[{m}]";
                if (!objectIds.TryGetValue(member, out var memberTenant))
                    errors.Add(new(at, $"member '{member}' is neither a user nor a group of this seed"));
                else if (!string.Equals(memberTenant, g.TenantId, StringComparison.OrdinalIgnoreCase))
                    errors.Add(new(at, $"member '{member}' belongs to another tenant"));
                else if (string.Equals(member, g.Id, StringComparison.OrdinalIgnoreCase))
                    errors.Add(new(at, "a group cannot be a member of itself"));
            }
        }
        var cycle = GroupCycles.Find(seed.Groups, groupIds);
        if (cycle is not null) errors.Add(new("$.groups", $"nested groups form a cycle: {cycle}"));
    }

    private static void ValidateSettings(EmulatorSettings s, List<SeedError> errors)
    {
        if (s.LockoutThreshold < 1) errors.Add(new("$.settings.lockoutThreshold", "must be at least 1"));
        if (s.LockoutDurationSeconds < 1) errors.Add(new("$.settings.lockoutDurationSeconds", "must be at least 1"));
        if (s.AccessTokenLifetimeSeconds < 300) errors.Add(new("$.settings.accessTokenLifetimeSeconds", "must be at least 300"));
        if (s.RefreshTokenLifetimeSeconds < 60) errors.Add(new("$.settings.refreshTokenLifetimeSeconds", "must be at least 60"));
        if (!MfaErrors.Contains(s.MfaError)) errors.Add(new("$.settings.mfaError", $"must be one of {string.Join(", ", MfaErrors)}"));
        if (!OverageForms.Contains(s.OverageEndpoint)) errors.Add(new("$.settings.overageEndpoint", $"must be one of {string.Join(", ", OverageForms)}"));
        if (!Separators.Contains(s.DescriptionSeparator)) errors.Add(new("$.settings.descriptionSeparator", $"must be one of {string.Join(", ", Separators)}"));
        if (s.GroupsClaimLimit < 1) errors.Add(new("$.settings.groupsClaimLimit", "must be at least 1"));
        if (s.GraphPageSize is < 1 or > 999) errors.Add(new("$.settings.graphPageSize", "must be between 1 and 999"));
        var order = s.CheckOrder;
        if (order.Count != EmulatorSettings.DefaultCheckOrder.Count
            || order.Distinct(StringComparer.Ordinal).Count() != order.Count
            || order.Any(c => !EmulatorSettings.DefaultCheckOrder.Contains(c)))
            errors.Add(new("$.settings.checkOrder", $"must list each of {string.Join(", ", EmulatorSettings.DefaultCheckOrder)} exactly once"));
    }

    private static bool RequireGuid(string value, string path, List<SeedError> errors)
    {
        if (Guid.TryParseExact(value, "D", out _)) return true;
        errors.Add(new(path, $"'{value}' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"));
        return false;
    }

    private static SeedTenant? RequireTenant(string id, string path, Dictionary<string, SeedTenant> tenants, List<SeedError> errors)
    {
        if (tenants.TryGetValue(id, out var tenant)) return tenant;
        errors.Add(new(path, $"tenant '{id}' is not defined in $.tenants"));
        return null;
    }

    private static bool TenantHasDomain(SeedTenant tenant, string domain) =>
        string.Equals(tenant.DefaultDomain, domain, StringComparison.OrdinalIgnoreCase)
        || tenant.VerifiedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase);

    private static bool IsDomain(string value) =>
        value.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(value) == UriHostNameType.Dns;
}

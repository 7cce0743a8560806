namespace Gatehouse.AzureAd.Emulator.Model;

internal sealed class Tenant(SeedTenant seed)
{
    public SeedTenant Seed { get; } = seed;
    public string Id { get; } = seed.Id.ToLowerInvariant();
    public string DefaultDomain => Seed.DefaultDomain;
}

/// <summary>Something a token can be issued for: Microsoft Graph, Azure AD Graph, or an app exposing an API.</summary>
internal sealed class Resource
{
    public required string AppId { get; init; }
    public required string DisplayName { get; init; }
    /// <summary>The identifier used as <c>aud</c> when the request named the resource by app id in v2.</summary>
    public required string PrimaryUri { get; init; }
    public required int TokenVersion { get; init; }
    public required string GroupMembershipClaims { get; init; }
    public required IReadOnlyList<string> AppRoles { get; init; }
    /// <summary>Tenant the resource lives in; null for first-party resources present everywhere.</summary>
    public string? TenantId { get; init; }
    public bool IsMicrosoftGraph => AppId == WellKnownResources.MicrosoftGraphAppId;
    public bool IsAadGraph => AppId == WellKnownResources.AadGraphAppId;
    public bool IsFirstParty => IsMicrosoftGraph || IsAadGraph;

    /// <summary>v2 responses name first-party scopes bare (User.Read) and others fully (api://x/scope).</summary>
    public string QualifyScope(string scope) => IsFirstParty ? scope : $"{PrimaryUri.TrimEnd('/')}/{scope}";

    public static readonly Resource MicrosoftGraph = new()
    {
        AppId = WellKnownResources.MicrosoftGraphAppId, DisplayName = "Microsoft Graph",
        PrimaryUri = WellKnownResources.MicrosoftGraphUri, TokenVersion = 1, GroupMembershipClaims = "None", AppRoles = [],
    };

    public static readonly Resource AadGraph = new()
    {
        AppId = WellKnownResources.AadGraphAppId, DisplayName = "Windows Azure Active Directory",
        PrimaryUri = WellKnownResources.AadGraphUri, TokenVersion = 1, GroupMembershipClaims = "None", AppRoles = [],
    };
}

/// <summary>Delegated permissions a client app requires on one resource, and whether consent was granted.</summary>
internal sealed record PermissionGrant(Resource Resource, IReadOnlySet<string> Scopes, bool ConsentGranted);

internal sealed class App
{
    public required SeedApp Seed { get; init; }
    public required Resource AsResource { get; init; }
    /// <summary>Keyed by resource app id.</summary>
    public required IReadOnlyDictionary<string, PermissionGrant> Permissions { get; init; }
    public string AppId => AsResource.AppId;
}

internal sealed class User(SeedUser seed, Tenant tenant)
{
    public SeedUser Seed { get; } = seed;
    public Tenant Tenant { get; } = tenant;
    public string Id { get; } = seed.Id.ToLowerInvariant();
    public string Upn => Seed.UserPrincipalName;
    /// <summary>Direct parents, then every group reached through nesting (filled when the snapshot is built).</summary>
    public IReadOnlyList<Group> MemberOf { get; set; } = [];
    public IReadOnlyList<Group> TransitiveMemberOf { get; set; } = [];

    public bool IsAssignedTo(string appId) =>
        Seed.AppRoleAssignments.Any(a => string.Equals(a.AppId, appId, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<string> RolesOn(string appId) =>
        Seed.AppRoleAssignments
            .Where(a => a.Role is not null && string.Equals(a.AppId, appId, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Role!);
}

internal sealed class Group(SeedGroup seed)
{
    public SeedGroup Seed { get; } = seed;
    public string Id { get; } = seed.Id.ToLowerInvariant();
}

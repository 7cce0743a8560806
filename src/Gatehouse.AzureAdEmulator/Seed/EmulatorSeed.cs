namespace Gatehouse.AzureAd.Emulator;

/// <summary>
/// The whole emulated directory as a JSON document (camelCase, see README.md). Immutable: changes are made
/// with <c>with</c> expressions and go through the same validation as a seed file.
/// </summary>
public sealed record EmulatorSeed
{
    public IReadOnlyList<SeedTenant> Tenants { get; init; } = [];
    public IReadOnlyList<SeedApp> Apps { get; init; } = [];
    public IReadOnlyList<SeedUser> Users { get; init; } = [];
    public IReadOnlyList<SeedGroup> Groups { get; init; } = [];
    public EmulatorSettings Settings { get; init; } = new();

    /// <summary>The demo directory (tenant contoso.onmicrosoft.com); documented in README.md.</summary>
    public static EmulatorSeed Default => DefaultSeed.Build();
}

public sealed record SeedTenant
{
    /// <summary>Tenant GUID (the <c>tid</c> claim).</summary>
    public string Id { get; init; } = "";
    public string DisplayName { get; init; } = "";
    /// <summary>The initial <c>*.onmicrosoft.com</c> domain.</summary>
    public string DefaultDomain { get; init; } = "";
    /// <summary>Further verified custom domains (e.g. contoso.com).</summary>
    public IReadOnlyList<string> VerifiedDomains { get; init; } = [];
}

public sealed record SeedApp
{
    /// <summary>Application (client) id GUID.</summary>
    public string AppId { get; init; } = "";
    /// <summary>Home tenant GUID.</summary>
    public string TenantId { get; init; } = "";
    public string DisplayName { get; init; } = "";
    /// <summary>"Allow public client flows": the client must not send a secret (AADSTS700025).</summary>
    public bool PublicClient { get; init; }
    public IReadOnlyList<SeedSecret> Secrets { get; init; } = [];
    /// <summary>App ID URIs this app answers to as a resource (e.g. https://contoso.onmicrosoft.com/api).</summary>
    public IReadOnlyList<string> IdentifierUris { get; init; } = [];
    /// <summary>Delegated scopes this app exposes as an API (e.g. user_impersonation).</summary>
    public IReadOnlyList<string> ExposedScopes { get; init; } = [];
    /// <summary>App role values users can be assigned to (roles claim).</summary>
    public IReadOnlyList<string> AppRoles { get; init; } = [];
    /// <summary>Required permissions: resource (URI or app id) and delegated scopes, with consent state.</summary>
    public IReadOnlyList<SeedPermission> RequiredResourceAccess { get; init; } = [];
    /// <summary>None, SecurityGroup or All: emit the groups claim in tokens issued for this app.</summary>
    public string GroupMembershipClaims { get; init; } = "None";
    /// <summary>1 or 2: the version of access tokens issued for this app as a resource.</summary>
    public int AccessTokenAcceptedVersion { get; init; } = 1;
    /// <summary>Users must be assigned (appRoleAssignments) to sign in (AADSTS50105).</summary>
    public bool AssignmentRequired { get; init; }
    /// <summary>
    /// AzureADMyOrg (home tenant only) or AzureADMultipleOrgs: users of every tenant may sign in, as if each tenant had
    /// consented to the app (its required permissions' consent state applies everywhere).
    /// </summary>
    public string SignInAudience { get; init; } = SignInAudiences.MyOrg;
    /// <summary>
    /// Reply URLs the authorize endpoints may send codes to (exact match; the port is ignored for http(s)://localhost
    /// and 127.0.0.1, as Entra does for loopback).
    /// </summary>
    public IReadOnlyList<string> RedirectUris { get; init; } = [];
}

public static class SignInAudiences
{
    public const string MyOrg = "AzureADMyOrg";
    public const string MultipleOrgs = "AzureADMultipleOrgs";
}

public sealed record SeedSecret
{
    public string Value { get; init; } = "";
    /// <summary>Expiry (ISO 8601); expired secrets give AADSTS7000222.</summary>
    public DateTimeOffset ExpiresAt { get; init; } = DateTimeOffset.MaxValue;
}

public sealed record SeedPermission
{
    /// <summary>https://graph.microsoft.com, https://graph.windows.net, an App ID URI or an app id.</summary>
    public string Resource { get; init; } = "";
    public IReadOnlyList<string> Scopes { get; init; } = [];
    /// <summary>Admin consent granted for these scopes; without it sign-in gives AADSTS65001.</summary>
    public bool ConsentGranted { get; init; }
}

public sealed record SeedUser
{
    /// <summary>Object id GUID (the <c>oid</c> claim, Graph <c>id</c>, AAD Graph <c>objectId</c>).</summary>
    public string Id { get; init; } = "";
    public string TenantId { get; init; } = "";
    public string UserPrincipalName { get; init; } = "";
    /// <summary>Cloud password. Omitted when read back through the admin API.</summary>
    public string? Password { get; init; }
    public bool AccountEnabled { get; init; } = true;
    /// <summary>Locked by an administrator or earlier failures (AADSTS50053) until the lockout is reset.</summary>
    public bool Locked { get; init; }
    public bool PasswordExpired { get; init; }
    public bool MfaRequired { get; init; }
    public bool MfaRegistrationRequired { get; init; }
    public bool ConditionalAccessBlocked { get; init; }
    /// <summary>Federated (AD FS) user: realm discovery answers Federated.</summary>
    public bool Federated { get; init; }
    /// <summary>Password hash sync + AllowCloudPasswordValidation: ROPC works for a federated user.</summary>
    public bool CloudPasswordValidation { get; init; }
    /// <summary>A personal Microsoft account invited as guest: ROPC is refused with AADSTS50034.</summary>
    public bool GuestMsa { get; init; }
    /// <summary>Member or Guest.</summary>
    public string UserType { get; init; } = "Member";
    public IReadOnlyList<SeedAppRoleAssignment> AppRoleAssignments { get; init; } = [];

    public string DisplayName { get; init; } = "";
    public string? GivenName { get; init; }
    public string? Surname { get; init; }
    public string? Mail { get; init; }
    public string? MailNickname { get; init; }
    public string? JobTitle { get; init; }
    public string? Department { get; init; }
    public string? CompanyName { get; init; }
    public string? EmployeeId { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? Country { get; init; }
    public string? StreetAddress { get; init; }
    public string? PostalCode { get; init; }
    public string? UsageLocation { get; init; }
    public string? MobilePhone { get; init; }
    public IReadOnlyList<string> BusinessPhones { get; init; } = [];
    public string? OfficeLocation { get; init; }
    public string? PreferredLanguage { get; init; }
}

public sealed record SeedAppRoleAssignment
{
    public string AppId { get; init; } = "";
    /// <summary>An app role value of that app, or null for "default access".</summary>
    public string? Role { get; init; }
}

public sealed record SeedGroup
{
    public string Id { get; init; } = "";
    public string TenantId { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string? Description { get; init; }
    public bool SecurityEnabled { get; init; } = true;
    public bool MailEnabled { get; init; }
    public string? Mail { get; init; }
    public string? MailNickname { get; init; }
    /// <summary>Ids of member users and member groups (nesting).</summary>
    public IReadOnlyList<string> Members { get; init; } = [];
}

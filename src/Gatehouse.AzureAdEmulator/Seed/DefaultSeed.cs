using static Gatehouse.AzureAd.Emulator.DemoDirectory;

namespace Gatehouse.AzureAd.Emulator;

/// <summary>Builds the demo directory described in README.md.</summary>
internal static class DefaultSeed
{
    private const string GraphUri = "https://graph.microsoft.com";
    private const string AadGraphUri = "https://graph.windows.net";

    public static EmulatorSeed Build() => new()
    {
        Tenants = [new SeedTenant { Id = TenantId, DisplayName = "Contoso", DefaultDomain = TenantDomain, VerifiedDomains = [VerifiedDomain] }],
        Apps = Apps(),
        Users = Users(),
        Groups = Groups(),
    };

    private static List<SeedApp> Apps() =>
    [
        new()
        {
            AppId = WebApiAppId, TenantId = TenantId, DisplayName = "Gatehouse API",
            IdentifierUris = [WebApiAppIdUri], ExposedScopes = ["user_impersonation"],
            AppRoles = ["Gatehouse.Reader", "Gatehouse.Admin"], GroupMembershipClaims = "SecurityGroup",
            Secrets = [new SeedSecret { Value = WebApiSecret }],
        },
        new()
        {
            AppId = NativeAppId, TenantId = TenantId, DisplayName = "Gatehouse Native", PublicClient = true,
            RedirectUris = [NativeRedirectUri],
            RequiredResourceAccess =
            [
                new SeedPermission { Resource = AadGraphUri, Scopes = ["User.Read", "Directory.Read.All"], ConsentGranted = true },
                new SeedPermission { Resource = GraphUri, Scopes = ["User.Read", "Directory.Read.All"], ConsentGranted = true },
                new SeedPermission { Resource = WebApiAppIdUri, Scopes = ["user_impersonation"], ConsentGranted = true },
            ],
        },
        new()
        {
            AppId = ConfidentialAppId, TenantId = TenantId, DisplayName = "Gatehouse Backend",
            RedirectUris = [.. WebRedirectUris],
            Secrets = [new SeedSecret { Value = ConfidentialSecret, ExpiresAt = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero) }],
            RequiredResourceAccess =
            [
                new SeedPermission { Resource = GraphUri, Scopes = ["User.Read", "GroupMember.Read.All"], ConsentGranted = true },
                new SeedPermission { Resource = WebApiAppIdUri, Scopes = ["user_impersonation"], ConsentGranted = true },
            ],
        },
        new()
        {
            AppId = UnconsentedAppId, TenantId = TenantId, DisplayName = "Unconsented Tool", PublicClient = true,
            RedirectUris = [NativeRedirectUri],
            RequiredResourceAccess =
            [
                new SeedPermission { Resource = GraphUri, Scopes = ["User.Read"] },
                new SeedPermission { Resource = WebApiAppIdUri, Scopes = ["user_impersonation"] },
            ],
        },
        new()
        {
            AppId = AssignmentRequiredAppId, TenantId = TenantId, DisplayName = "HR Portal", PublicClient = true, AssignmentRequired = true,
            RedirectUris = [NativeRedirectUri],
            RequiredResourceAccess = [new SeedPermission { Resource = GraphUri, Scopes = ["User.Read"], ConsentGranted = true }],
        },
        new()
        {
            AppId = ExpiredSecretAppId, TenantId = TenantId, DisplayName = "Legacy Daemon",
            Secrets = [new SeedSecret { Value = ExpiredSecret, ExpiresAt = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero) }],
            RequiredResourceAccess = [new SeedPermission { Resource = GraphUri, Scopes = ["User.Read"], ConsentGranted = true }],
        },
    ];

    private static List<SeedUser> Users() =>
    [
        new()
        {
            Id = AdeleId, TenantId = TenantId, UserPrincipalName = Adele, Password = PasswordOf(Adele),
            DisplayName = "Adele Vance", GivenName = "Adele", Surname = "Vance", Mail = Adele, MailNickname = "AdeleV",
            JobTitle = "Retail Manager", Department = "Retail", CompanyName = "Contoso", City = "Bellevue", State = "WA",
            Country = "United States", UsageLocation = "US", MobilePhone = "+1 425 555 0109", BusinessPhones = ["+1 425 555 0109"],
            OfficeLocation = "18/2111", PreferredLanguage = "en-US", EmployeeId = "1001",
            AppRoleAssignments =
            [
                new SeedAppRoleAssignment { AppId = WebApiAppId, Role = "Gatehouse.Reader" },
                new SeedAppRoleAssignment { AppId = AssignmentRequiredAppId },
            ],
        },
        new()
        {
            Id = MeganId, TenantId = TenantId, UserPrincipalName = Megan, Password = PasswordOf(Megan),
            DisplayName = "Megan Bowen", GivenName = "Megan", Surname = "Bowen", Mail = Megan, JobTitle = "Marketing Manager",
            Department = "Marketing", City = "Pittsburgh", Country = "United States", BusinessPhones = ["+1 412 555 0109"],
            OfficeLocation = "12/1110", PreferredLanguage = "en-US",
        },
        Plain("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7003", MfaUser, "MFA User") with { MfaRequired = true },
        Plain("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7004", MfaRegistrationUser, "MFA Registration User") with { MfaRegistrationRequired = true },
        Plain("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7005", BlockedUser, "Conditional Access Blocked") with { ConditionalAccessBlocked = true },
        Plain("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7006", ExpiredPasswordUser, "Expired Password") with { PasswordExpired = true },
        Plain("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7007", DisabledUser, "Disabled User") with { AccountEnabled = false },
        Plain("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7008", LockedUser, "Locked User") with { Locked = true },
        Plain("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7009", LockoutUser, "Lockout Prone"),
        Plain("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7010", FederatedUser, "Federated User") with { Federated = true, Password = null },
        Plain("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7011", FederatedSyncedUser, "Federated Synced User") with { Federated = true, CloudPasswordValidation = true },
        Plain("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7012", MsaGuest, "Pat (Guest)") with
        {
            GuestMsa = true, UserType = "Guest", Password = null, Mail = "pat@outlook.com",
        },
        Plain("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7013", UnassignedUser, "Unassigned User"),
    ];

    private static SeedUser Plain(string id, string upn, string name) => new()
    {
        Id = id, TenantId = TenantId, UserPrincipalName = upn, Password = PasswordOf(upn), DisplayName = name,
        GivenName = name.Split(' ')[0], Surname = name.Split(' ')[^1], Mail = upn,
    };

    private static List<SeedGroup> Groups()
    {
        var groups = new List<SeedGroup>
        {
            new() { Id = SalesGroupId, TenantId = TenantId, DisplayName = "Sales", Members = [SalesWestGroupId] },
            new() { Id = SalesWestGroupId, TenantId = TenantId, DisplayName = "Sales West", Members = [AdeleId] },
            new()
            {
                Id = AllCompanyGroupId, TenantId = TenantId, DisplayName = "All Company", SecurityEnabled = false,
                MailEnabled = true, Mail = "allcompany@contoso.com", MailNickname = "allcompany", Members = [AdeleId, MeganId],
            },
        };
        for (var i = 1; i <= MeganGroupCount; i++)
            groups.Add(new SeedGroup
            {
                Id = $"7a8b9c0d-1e2f-4a3b-8c4d-00000000{i:x4}", TenantId = TenantId, DisplayName = $"Project {i:D3}", Members = [MeganId],
            });
        return groups;
    }
}

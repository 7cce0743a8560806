namespace Gatehouse.AzureAd.Emulator;

/// <summary>Fixed ids, names and passwords of <see cref="EmulatorSeed.Default"/> (also listed in README.md).</summary>
public static class DemoDirectory
{
    public const string TenantId = "2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c";
    public const string TenantDomain = "contoso.onmicrosoft.com";
    public const string VerifiedDomain = "contoso.com";

    /// <summary>Web app/API registration exposing user_impersonation.</summary>
    public const string WebApiAppId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e01";
    public const string WebApiAppIdUri = "https://contoso.onmicrosoft.com/gatehouse-api";
    public const string WebApiSecret = "webapi-secret-not-for-production";
    /// <summary>Native (public) app with consented permissions on AAD Graph, Microsoft Graph and the Web API.</summary>
    public const string NativeAppId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e02";
    /// <summary>Confidential app with a valid secret.</summary>
    public const string ConfidentialAppId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e03";
    public const string ConfidentialSecret = "backend-secret-not-for-production";
    /// <summary>Public app whose permissions were never consented (AADSTS65001).</summary>
    public const string UnconsentedAppId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e04";
    /// <summary>Public app with user assignment required; only Adele is assigned (AADSTS50105 for others).</summary>
    public const string AssignmentRequiredAppId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e05";
    /// <summary>Confidential app whose only secret expired (AADSTS7000222).</summary>
    public const string ExpiredSecretAppId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e06";
    public const string ExpiredSecret = "expired-secret-not-for-production";

    /// <summary>Reply URL of the public apps (MSAL's native loopback form; any port).</summary>
    public const string NativeRedirectUri = "http://localhost/callback";
    /// <summary>Reply URLs of Gatehouse Backend: Gatehouse's /login/callback on loopback (any port) and a test app.</summary>
    public static readonly IReadOnlyList<string> WebRedirectUris =
        ["https://localhost/login/callback", "https://127.0.0.1/login/callback", "https://app.contoso.test/signin-oidc"];

    public const string Adele = "AdeleV@contoso.com";
    public const string AdeleId = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7001";
    public const string Megan = "MeganB@contoso.com";
    public const string MeganId = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7002";
    public const string MfaUser = "mfa.user@contoso.onmicrosoft.com";
    public const string MfaRegistrationUser = "mfa.register@contoso.onmicrosoft.com";
    public const string BlockedUser = "ca.blocked@contoso.onmicrosoft.com";
    public const string ExpiredPasswordUser = "expired.password@contoso.onmicrosoft.com";
    public const string DisabledUser = "disabled.user@contoso.onmicrosoft.com";
    public const string LockedUser = "locked.user@contoso.onmicrosoft.com";
    public const string LockoutUser = "lockout.prone@contoso.onmicrosoft.com";
    public const string FederatedUser = "fed.user@contoso.com";
    public const string FederatedSyncedUser = "fed.synced@contoso.com";
    public const string MsaGuest = "pat_outlook.com#EXT#@contoso.onmicrosoft.com";
    public const string UnassignedUser = "unassigned.user@contoso.onmicrosoft.com";

    /// <summary>Every demo password is "P@ssw0rd-" + the part of the UPN before '@' and '.', lower case (e.g. P@ssw0rd-adelev).</summary>
    public static string PasswordOf(string upn) => "P@ssw0rd-" + upn.Split('@')[0].Split('.')[0].Split('_')[0].ToLowerInvariant();

    public const string SalesGroupId = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b0001";
    public const string SalesWestGroupId = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b0002";
    public const string AllCompanyGroupId = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b0003";
    /// <summary>Megan is a direct member of this many security groups (over the 200 claim limit).</summary>
    public const int MeganGroupCount = 300;
}

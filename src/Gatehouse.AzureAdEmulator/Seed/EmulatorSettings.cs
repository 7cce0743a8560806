namespace Gatehouse.AzureAd.Emulator;

/// <summary>Behaviour switches of the emulated STS and Graph APIs (the seed's "settings" object).</summary>
public sealed record EmulatorSettings
{
    /// <summary>The §11.3 order in which sign-in checks run; the first failing check answers.</summary>
    public static readonly IReadOnlyList<string> DefaultCheckOrder =
    [
        SignInCheck.Tenant, SignInCheck.Client, SignInCheck.Resource, SignInCheck.UserExists, SignInCheck.Locked,
        SignInCheck.Password, SignInCheck.Disabled, SignInCheck.Federation, SignInCheck.PasswordExpired,
        SignInCheck.Assignment, SignInCheck.Consent, SignInCheck.Mfa, SignInCheck.MfaRegistration,
        SignInCheck.ConditionalAccess,
    ];

    /// <summary>Wrong passwords before smart lockout locks the account (Entra default 10).</summary>
    public int LockoutThreshold { get; init; } = 10;
    /// <summary>How long smart lockout lasts (Entra default 60 s).</summary>
    public int LockoutDurationSeconds { get; init; } = 60;
    /// <summary>Access and id token lifetime. Entra's is 60-90 min, never exactly 3600.</summary>
    public int AccessTokenLifetimeSeconds { get; init; } = 4499;
    /// <summary>
    /// Refresh-token inactivity limit: a refresh token unused this long is refused with AADSTS700082. Judged against
    /// the current value, so a test can shorten it for tokens already issued.
    /// </summary>
    public int RefreshTokenLifetimeSeconds { get; init; } = 90 * 24 * 3600;
    /// <summary>
    /// Conditional Access sign-in frequency: a refresh token whose sign-in is older than this is refused with
    /// AADSTS70043 (refreshing does not renew the sign-in). 0 = no such policy.
    /// </summary>
    public int SignInFrequencySeconds { get; init; }
    /// <summary>Azure AD Graph answers every call with 403 (it is retired since 2025).</summary>
    public bool AadGraphRetired { get; init; }
    /// <summary>The error value for AADSTS50076: "invalid_grant" (2023+) or "interaction_required" (2020).</summary>
    public string MfaError { get; init; } = "invalid_grant";
    /// <summary>Order of sign-in checks; a permutation of <see cref="DefaultCheckOrder"/>.</summary>
    public IReadOnlyList<string> CheckOrder { get; init; } = DefaultCheckOrder;
    /// <summary>"emulator": overage points at this host's AAD Graph; "graph.windows.net": the real form.</summary>
    public string OverageEndpoint { get; init; } = "emulator";
    /// <summary>"crlf" (\r\n, older captures) or "space" (2024+ captures) between description parts.</summary>
    public string DescriptionSeparator { get; init; } = "crlf";
    /// <summary>Maximum groups in the groups claim before the overage claims replace it.</summary>
    public int GroupsClaimLimit { get; init; } = 200;
    /// <summary>Default page size of Graph and AAD Graph collections ($top may ask up to 999).</summary>
    public int GraphPageSize { get; init; } = 100;
    /// <summary>Reuse a signed token per (user, client, resource, version) until shortly before expiry.</summary>
    public bool ReuseTokens { get; init; } = true;
}

/// <summary>Names of the sign-in checks, as used in <see cref="EmulatorSettings.CheckOrder"/>.</summary>
public static class SignInCheck
{
    public const string Tenant = "tenant";
    public const string Client = "client";
    public const string Resource = "resource";
    public const string UserExists = "user_exists";
    public const string Locked = "locked";
    public const string Password = "password";
    public const string Disabled = "disabled";
    public const string Federation = "federation";
    public const string PasswordExpired = "password_expired";
    public const string Assignment = "assignment";
    public const string Consent = "consent";
    public const string Mfa = "mfa";
    public const string MfaRegistration = "mfa_registration";
    public const string ConditionalAccess = "conditional_access";
}

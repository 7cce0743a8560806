namespace Gatehouse.Core.Logs;

/// <summary>Auth0 log event type codes that Gatehouse writes.</summary>
public static class LogTypes
{
    public const string SuccessLogin = "s";
    public const string FailedLogin = "f";
    public const string WrongPassword = "fp";
    public const string UnknownUser = "fu";
    public const string SuccessPasswordExchange = "sepft";
    public const string SuccessClientCredentialsExchange = "seccft";
    public const string FailedClientCredentialsExchange = "feccft";
    public const string SuccessCodeExchange = "seacft";
    public const string FailedCodeExchange = "feacft";
    /// <summary>A prompt=none request answered from the SSO session, or refused without UI.</summary>
    public const string SuccessSilentAuth = "ssa";
    public const string SuccessDeviceCodeExchange = "sede";
    public const string FailedDeviceCodeExchange = "fede";
    public const string FailedDeviceAuthorization = "fdeaz";
    public const string FailedDeviceActivation = "fdeac";
    public const string DeviceConfirmationCancelled = "fdecc";
    public const string FailedSilentAuth = "fsa";
    public const string SuccessRefreshTokenExchange = "sertft";
    public const string FailedRefreshTokenExchange = "fertft";
    public const string SuccessRefreshTokenRevocation = "srrt";
    /// <summary>The browser's SSO session ended at /v2/logout, or a logout was refused (returnTo not allowed).</summary>
    public const string SuccessLogout = "slo";
    public const string FailedLogout = "flo";
    public const string RateLimitReached = "api_limit";
    /// <summary>Brute-force protection tripped: too many failed logins for one identifier (from one IP, or any).</summary>
    public const string BruteForceBlock = "limit_wc";
    /// <summary>Suspicious IP throttling tripped: too many failed logins from one IP across accounts.</summary>
    public const string SuspiciousIpBlock = "limit_mu";
    public const string ManagementApiWrite = "sapi";
    public const string ManagementApiFailure = "fapi";
    public const string ManagementApiSecretRead = "mgmt_api_read";
    /// <summary>Gatehouse's own: a login linked its upstream account to the user another connection already had (tenant setting gatehouse_auto_link_upstream_accounts).</summary>
    public const string AccountAutoLinked = "gatehouse_account_linked";
}

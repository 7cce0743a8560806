using System.Text.Json;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Dashboard.Services;

/// <summary>Names for Auth0 log type codes, and which of them are logins and failed logins (for the charts).</summary>
public static class LogLabels
{
    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [LogTypes.SuccessLogin] = "Success login",
        [LogTypes.SuccessPasswordExchange] = "Success password exchange",
        [LogTypes.FailedLogin] = "Failed login",
        [LogTypes.WrongPassword] = "Failed login: wrong password",
        [LogTypes.UnknownUser] = "Failed login: unknown user",
        [LogTypes.SuccessClientCredentialsExchange] = "Success client credentials exchange",
        [LogTypes.FailedClientCredentialsExchange] = "Failed client credentials exchange",
        [LogTypes.SuccessCodeExchange] = "Success exchange of authorization code for access token",
        [LogTypes.FailedCodeExchange] = "Failed exchange of authorization code for access token",
        [LogTypes.SuccessSilentAuth] = "Success silent authentication",
        [LogTypes.FailedSilentAuth] = "Failed silent authentication",
        [LogTypes.SuccessDeviceCodeExchange] = "Success exchange of device code for access token",
        [LogTypes.FailedDeviceCodeExchange] = "Failed exchange of device code for access token",
        [LogTypes.FailedDeviceAuthorization] = "Failed device authorization request",
        [LogTypes.FailedDeviceActivation] = "Failed device activation",
        [LogTypes.DeviceConfirmationCancelled] = "User cancelled the device confirmation",
        [LogTypes.SuccessRefreshTokenExchange] = "Success refresh token exchange",
        [LogTypes.FailedRefreshTokenExchange] = "Failed refresh token exchange",
        [LogTypes.SuccessRefreshTokenRevocation] = "Refresh token revoked",
        [LogTypes.ManagementApiWrite] = "Management API operation",
        [LogTypes.ManagementApiFailure] = "Failed Management API operation",
        [LogTypes.ManagementApiSecretRead] = "Management API secret read",
        [LogTypes.AccountAutoLinked] = "Account linked automatically (same upstream account)",
    };

    public static readonly IReadOnlySet<string> Logins = new HashSet<string> { LogTypes.SuccessLogin, LogTypes.SuccessPasswordExchange };

    public static readonly IReadOnlySet<string> FailedLogins = new HashSet<string> { LogTypes.FailedLogin, LogTypes.WrongPassword, LogTypes.UnknownUser };

    public static string Describe(string type) => Types.TryGetValue(type, out var label) ? label : type;

    public static long? ElapsedMs(LogEvent log) =>
        log.Details is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("elapsed_ms", out var e) && e.TryGetInt64(out var ms) ? ms : null;

    public static string? UpstreamDetail(LogEvent log) =>
        log.Details is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : null;
}

using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Grants;

/// <summary>
/// An API's RBAC settings as Auth0 names them, kept among its other settings (ResourceServer.Extra, where the
/// Management API validated them): <c>enforce_policies</c> ("Enable RBAC") and <c>token_dialect</c>.
/// </summary>
public static class ApiTokenSettings
{
    public const string AccessToken = "access_token";
    public const string AccessTokenAuthz = "access_token_authz";
    public const string Rfc9068Profile = "rfc9068_profile";
    public const string Rfc9068ProfileAuthz = "rfc9068_profile_authz";

    public static readonly IReadOnlyList<string> Dialects = [AccessToken, AccessTokenAuthz, Rfc9068Profile, Rfc9068ProfileAuthz];

    /// <summary>Whether user tokens for the API carry only the scopes the user holds as permissions.</summary>
    public static bool EnforcesPolicies(ResourceServer api)
    {
        ArgumentNullException.ThrowIfNull(api);
        return api.Extra is { ValueKind: JsonValueKind.Object } extra
            && extra.TryGetProperty("enforce_policies", out var value) && value.ValueKind == JsonValueKind.True;
    }

    /// <summary>The API's token dialect; <see cref="AccessToken"/> when unset.</summary>
    public static string Dialect(ResourceServer api)
    {
        ArgumentNullException.ThrowIfNull(api);
        return api.Extra is { ValueKind: JsonValueKind.Object } extra
            && extra.TryGetProperty("token_dialect", out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is { } dialect && Dialects.Contains(dialect)
            ? dialect
            : AccessToken;
    }

    /// <summary>The "Add Permissions in the Access Token" dialects.</summary>
    public static bool AddsPermissions(string dialect) => dialect is AccessTokenAuthz or Rfc9068ProfileAuthz;

    /// <summary>The RFC 9068 profile: typ at+jwt, client_id instead of azp, a jti, no gty.</summary>
    public static bool IsRfc9068(string dialect) => dialect is Rfc9068Profile or Rfc9068ProfileAuthz;
}

using System.Text.Json;
using Gatehouse.Core.Connections;

namespace Gatehouse.Core.Authorization;

/// <summary>
/// The rule of an mfa_token continuation: the interactive sign-in must end with the account the password grant tried,
/// at the same connection. The provider's key (Azure AD: tenant and object id) decides when Gatehouse knew the user;
/// otherwise the sign-in name the provider reports (upn, else email) must be the attempted username.
/// </summary>
public static class MfaAccountMatch
{
    /// <summary>The <c>/authorize</c> parameter that carries the handle <c>POST /mfa/continue</c> returned.</summary>
    public const string AuthorizeParameter = "mfa_continuation";

    /// <summary>Null when the identity is the attempted account, else why not (for the audit log; never the other account's name).</summary>
    public static string? Mismatch(MfaBinding binding, string connectionId, UpstreamIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(identity);
        if (!string.Equals(binding.ConnectionId, connectionId, StringComparison.Ordinal))
            return "the sign-in ended at another connection than the mfa_token's";
        if (binding.ExternalKey is { } key && !string.Equals(key, identity.ExternalKey, StringComparison.Ordinal))
            return "the provider's account (oid) differs from the one the password grant signed in";
        var name = SignInName(identity);
        if (name is null || !string.Equals(name, binding.Username, StringComparison.OrdinalIgnoreCase))
            return "the provider's sign-in name differs from the username the password grant was sent";
        return null;
    }

    private static string? SignInName(UpstreamIdentity identity) =>
        identity.Attributes.ValueKind == JsonValueKind.Object && identity.Attributes.TryGetProperty("upn", out var upn)
            && upn.ValueKind == JsonValueKind.String
            ? upn.GetString()
            : identity.Email;
}

using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Grants;

public sealed record ScopeDecision(IReadOnlyList<string> Granted, bool DiffersFromRequest, bool IssueRefreshToken);

/// <summary>Which scopes a token carries (https://auth0.com/docs/get-started/apis/scopes; docs/architecture.md).</summary>
public static class ScopePolicy
{
    public const string OfflineAccess = "offline_access";

    public static readonly IReadOnlyList<string> OidcScopes = ["openid", "profile", "email", "address", "phone", OfflineAccess];

    /// <summary>
    /// User grants (ROPG implied trust): OIDC scopes as requested, and openid without any profile scope widens to openid profile email;
    /// no API scope requested means every API scope; unknown scopes are dropped; offline_access survives only when
    /// the API allows offline access (or there is no API), and then a refresh token is issued.
    /// </summary>
    public static ScopeDecision ForUser(IReadOnlyList<string> requested, ResourceServer? api, bool widenOpenId = true)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var granted = requested.Where(OidcScopes.Contains).ToList();
        if (widenOpenId && granted.Contains("openid") && !granted.Any(s => s is "profile" or "email" or "address" or "phone"))
            granted.InsertRange(granted.IndexOf("openid") + 1, ["profile", "email"]);
        if (api is not null)
        {
            var apiScopes = api.Scopes.Select(s => s.Value).ToList();
            var asked = requested.Where(apiScopes.Contains).ToList();
            granted.AddRange(asked.Count > 0 ? asked : apiScopes.Where(s => !granted.Contains(s)));
            if (!api.AllowOfflineAccess)
                granted.Remove(OfflineAccess);
        }
        var distinct = granted.Distinct(StringComparer.Ordinal).ToList();
        return new ScopeDecision(distinct, !distinct.ToHashSet(StringComparer.Ordinal).SetEquals(requested), distinct.Contains(OfflineAccess));
    }

    /// <summary>Client credentials: the client grant's scopes, narrowed to the requested ones when scope is sent.</summary>
    public static IReadOnlyList<string> ForClient(IReadOnlyList<string>? requested, ClientGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return requested is null || requested.Count == 0
            ? grant.Scope.ToList()
            : grant.Scope.Where(requested.Contains).ToList();
    }
}

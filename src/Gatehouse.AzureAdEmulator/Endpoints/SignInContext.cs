using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Model;
using Gatehouse.AzureAd.Emulator.Tokens;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>
/// One token request with everything resolved up front (tenant, client, resource, user), so that the
/// sign-in checks can run in any configured order: each check only judges, and skips when an input it
/// needs is missing (the check that owns that input reports it).
/// </summary>
internal sealed class SignInContext
{
    public required DirectorySnapshot Directory { get; init; }
    public required TokenRequest Request { get; init; }
    public required SmartLockout Lockout { get; init; }
    public required DateTimeOffset Now { get; init; }

    public bool IsRefresh => Request.GrantType == "refresh_token";
    public bool IsCode => Request.GrantType == "authorization_code";
    /// <summary>The authorize endpoint's sign-in: no client credential yet; MFA and consent can be satisfied on pages.</summary>
    public bool Interactive { get; init; }
    /// <summary>A password or the browser session already proved the user: the credential checks are done.</summary>
    public bool CredentialsVerified { get; init; }
    /// <summary>The user passed the MFA step (or the browser session did): the token's amr says mfa.</summary>
    public bool MfaDone { get; init; }
    /// <summary>The authorization code being redeemed, once it proved valid for this request.</summary>
    public Interactive.CodeEntry? Code { get; set; }
    /// <summary>Scopes the user consented to on the consent page for this client and resource.</summary>
    public IReadOnlySet<string>? UserConsent { get; set; }
    public Tenant? Tenant { get; set; }
    /// <summary>The error the tenant check reports when <see cref="Tenant"/> is null.</summary>
    public AadstsError? TenantError { get; set; }
    public App? Client { get; set; }
    public Resource? Resource { get; set; }
    public AadstsError? ResourceError { get; set; }
    public string Audience { get; set; } = "";
    /// <summary>Scope names asked for on the resource (v2); empty on v1, which grants every consented scope.</summary>
    public List<string> ExplicitScopes { get; } = [];
    public HashSet<string> OidcScopes { get; } = new(StringComparer.OrdinalIgnoreCase);
    public User? User { get; set; }
    public RefreshGrant? Refresh { get; set; }
    /// <summary>The error the user_exists check reports for a bad refresh token or authorization code.</summary>
    public AadstsError? GrantError { get; set; }
    public bool ClientAuthenticated { get; set; }

    /// <summary>Delegated scopes the token carries: everything consented on the resource (admin or user consent).</summary>
    public IReadOnlyList<string> GrantedScopes()
    {
        if (Client is null || Resource is null) return [];
        if (Resource.AppId == Client.AppId) return Client.Seed.ExposedScopes;
        return ConsentedScopes() is { } scopes ? [.. scopes] : [];
    }

    /// <summary>The union of admin and user consent on the resource; null when neither exists.</summary>
    public IReadOnlySet<string>? ConsentedScopes()
    {
        var admin = Client!.Permissions.TryGetValue(Resource!.AppId, out var grant) && grant.ConsentGranted ? grant.Scopes : null;
        if (UserConsent is null) return admin;
        return admin is null ? UserConsent : new HashSet<string>(admin.Concat(UserConsent), StringComparer.OrdinalIgnoreCase);
    }
}

using Gatehouse.Core.Grants;

namespace Gatehouse.Server.Dashboard;

/// <summary>Human names for the grant types an administrator toggles (the wire value is shown beside each).</summary>
public static class GrantLabels
{
    public static readonly IReadOnlyList<(string Value, string Label, string Hint)> Editable =
    [
        (GrantTypes.AuthorizationCode, "Authorization Code", "browser sign-in through /authorize (PKCE required for public applications)"),
        ("implicit", "Implicit", "legacy browser flow (not served by Gatehouse yet)"),
        (GrantTypes.RefreshToken, "Refresh Token", "renew tokens without the password (needs offline_access)"),
        (GrantTypes.ClientCredentials, "Client Credentials", "machine to machine; confidential applications only"),
        (GrantTypes.Password, "Password", "Resource Owner Password on the tenant's default directory"),
        (GrantTypes.PasswordRealm, "Password Realm", "Resource Owner Password on a chosen connection (realm): the Azure AD native flow"),
        (GrantTypes.LegacyRo, "Legacy /oauth/ro", "the legacy Resource Owner endpoint, still used by older native apps"),
    ];

    public static string AppTypeLabel(string appType) => appType switch
    {
        "native" => "Native",
        "spa" => "Single Page Application",
        "regular_web" => "Regular Web Application",
        "non_interactive" => "Machine to Machine",
        _ => appType,
    };
}

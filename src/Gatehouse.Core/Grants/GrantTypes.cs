namespace Gatehouse.Core.Grants;

/// <summary>Auth0's grant type strings (a client's grant_types and the token request's grant_type).</summary>
public static class GrantTypes
{
    public const string AuthorizationCode = "authorization_code";
    public const string Password = "password";
    public const string PasswordRealm = "http://auth0.com/oauth/grant-type/password-realm";
    public const string ClientCredentials = "client_credentials";
    public const string RefreshToken = "refresh_token";
    public const string LegacyRo = "http://auth0.com/oauth/legacy/grant-type/ro";
    public const string DeviceCode = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>The grants that take the user's password: their tokens get the password-grant lifetimes.</summary>
    public static bool IsPasswordGrant(string? grantType) => grantType is Password or PasswordRealm or LegacyRo;

    /// <summary>Every grant type a client may list (Auth0's set); Gatehouse serves the ones above.</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        AuthorizationCode, "implicit", RefreshToken, ClientCredentials, Password, PasswordRealm,
        "http://auth0.com/oauth/grant-type/mfa-oob", "http://auth0.com/oauth/grant-type/mfa-otp",
        "http://auth0.com/oauth/grant-type/mfa-recovery-code", "http://auth0.com/oauth/grant-type/passwordless/otp",
        DeviceCode, "urn:ietf:params:oauth:grant-type:token-exchange",
        "urn:openid:params:grant-type:ciba", LegacyRo, "http://auth0.com/oauth/legacy/grant-type/ro/jwt-bearer",
        "http://auth0.com/oauth/legacy/grant-type/delegation/refresh_token", "http://auth0.com/oauth/legacy/grant-type/delegation/id_token",
        "http://auth0.com/oauth/legacy/grant-type/access_token",
    ];
}

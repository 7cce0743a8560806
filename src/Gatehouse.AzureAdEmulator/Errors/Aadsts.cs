namespace Gatehouse.AzureAd.Emulator.Errors;

/// <summary>The AADSTS errors the emulator gives, with Entra's newest observed error values and messages.</summary>
internal static class Aadsts
{
    /// <summary>The policy id reported by the conditional-access block (claims challenge).</summary>
    public const string BlockingPolicyId = "7b1f2c3e-5d4a-4e8b-9c0d-1a2b3c4d5e6f";

    public static AadstsError MissingParameter(string name) =>
        new(900144, "invalid_request", $"The request body must contain the following parameter: '{name}'.");

    public static AadstsError PostOnly(string method) =>
        new(900561, "invalid_request", $"The endpoint only accepts POST, OPTIONS requests. Received a {method} request.");

    public static AadstsError UnsupportedGrantType(string grant) =>
        new(70003, "unsupported_grant_type", $"The app requested an unsupported grant type '{grant}'.");

    public static AadstsError TenantNotFound(string tenant) =>
        new(90002, "invalid_request", $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");

    /// <summary>Discovery endpoints say invalid_tenant for the same code.</summary>
    public static AadstsError TenantNotFoundInDiscovery(string tenant) => TenantNotFound(tenant) with { Error = "invalid_tenant" };

    public static AadstsError CommonNotSupported() =>
        new(9001023, "invalid_request", "The grant type isn't supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.");

    public static AadstsError NoTenantInfo() =>
        new(50128, "invalid_request", "Invalid domain name - No tenant-identifying information found in either the request or implied by any provided credentials.");

    public static AadstsError AppNotFound(string appId, string tenant) =>
        new(700016, "unauthorized_client", $"Application with identifier '{appId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");

    public static AadstsError SecretRequired() =>
        new(7000218, "invalid_client", "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", 401);

    public static AadstsError InvalidSecret(string appId) =>
        new(7000215, "invalid_client", $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{appId}'.", 401);

    public static AadstsError SecretExpired(string appId) =>
        new(7000222, "invalid_client", $"The provided client secret keys for app '{appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.", 401);

    public static AadstsError PublicClientSentSecret() =>
        new(700025, "invalid_client", "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.", 401);

    public static AadstsError AssertionRejected() =>
        new(700027, "invalid_client", "Client assertion failed signature validation.", 401);

    public static AadstsError ResourceNotFound(string resource, string tenant) =>
        new(500011, "invalid_resource", $"The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.");

    public static AadstsError MultipleResources(string scope) =>
        new(700022, "invalid_scope", $"The provided value for the input parameter scope is not valid because it contains more than one resource. Scope {scope} is not valid.");

    public static AadstsError UserNotFound(string tenantId) =>
        new(50034, "invalid_grant", $"The user account {{EUII Hidden}} does not exist in the {tenantId} directory. To sign into this application, the account must be added to the directory.");

    public static AadstsError InvalidCredentials() =>
        new(50126, "invalid_grant", "Error validating credentials due to invalid username or password.");

    public static AadstsError Locked() =>
        new(50053, "invalid_grant", "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.");

    public static AadstsError Disabled() =>
        new(50057, "invalid_grant", "The user account is disabled. The account has been disabled by an administrator.");

    public static AadstsError PasswordExpired() =>
        new(50055, "invalid_grant", "The password is expired.", Suberror: "user_password_expired");

    public static AadstsError NotAssigned(string appName, string appId) =>
        new(50105, "invalid_grant", $"Your administrator has configured the application {appName} ('{appId}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '{{EUII Hidden}}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application.");

    public static AadstsError ConsentRequired(string appId, string appName) =>
        new(65001, "invalid_grant", $"The user or administrator has not consented to use the application with ID '{appId}' named '{appName}'. Send an interactive authorization request for this user and resource.", Suberror: "consent_required");

    public static AadstsError MfaRequired(string resourceAppId, string error) =>
        new(50076, error, $"Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{resourceAppId}'.", Suberror: "basic_action");

    public static AadstsError MfaRegistrationRequired(string resourceAppId) =>
        new(50079, "interaction_required", $"Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access '{resourceAppId}'.");

    public static AadstsError BlockedByConditionalAccess() =>
        new(53003, "invalid_grant", "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
            Suberror: "message_only",
            Claims: "{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":[\"" + BlockingPolicyId + "\"]}}}");

    public static AadstsError LoopDetected() =>
        new(50196, "invalid_grant", "The server terminated an operation because it encountered a loop while processing a request.");

    public static AadstsError Transient(int code, string error, int status) =>
        new(code, error, "A transient error has occurred. Please try again.", status);

    public static AadstsError MalformedRefreshToken() =>
        new(9002313, "invalid_grant", "Invalid request. Request is malformed or invalid.");

    public static AadstsError RefreshTokenExpired() =>
        new(70008, "invalid_grant", "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");

    public static AadstsError RefreshTokenClientMismatch() =>
        new(70000, "invalid_grant", "Provided grant is invalid or malformed.");

    // Authorization-code flow (interactive-flows.md §5.3, §5.4).

    public static AadstsError InvalidRedirectUri(string redirectUri, string appId) =>
        new(50011, "invalid_request", $"The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.");

    /// <summary>Redemption with a registered redirect_uri other than the one the code was issued to (emulator's pick of Entra's code).</summary>
    public static AadstsError RedirectUriMismatch(string sent, string issuedTo) =>
        new(500112, "invalid_grant", $"The reply address '{sent}' does not match the reply address '{issuedTo}' provided when requesting Authorization code.");

    public static AadstsError ResourceNotSupportedOnV2() =>
        new(901002, "invalid_request", "The 'resource' request parameter isn't supported.");

    public static AadstsError ResponseTypeNotEnabled(string responseType) =>
        responseType.Contains("id_token", StringComparison.Ordinal)
            ? new(700054, "unsupported_response_type", "response_type 'id_token' is not enabled for the application.")
            : new(700051, "unsupported_response_type", $"response_type '{responseType}' is not enabled for the application.");

    /// <summary>Emulator choice of code: Entra's exact answer to an unknown method is not captured.</summary>
    public static AadstsError InvalidCodeChallengeMethod(string method) =>
        new(90014, "invalid_request", $"The code_challenge_method '{method}' is not supported. Supported values are 'plain' and 'S256'.");

    public static AadstsError SilentNoSession() =>
        new(50058, "login_required", "A silent sign-in request was sent but no user is signed in.");

    public static AadstsError UserDeclinedConsent(string appId, string appName) =>
        new(65004, "access_denied", $"User declined to consent to access the app '{appName}' ('{appId}').");

    public static AadstsError StrongAuthenticationFailed() =>
        new(500121, "access_denied", "Authentication failed during strong authentication request.");

    public static AadstsError InvalidFlowToken() =>
        new(90100, "invalid_request", "flowToken parameter is empty or not valid.");

    public static AadstsError CodeRedeemed() =>
        new(54005, "invalid_grant", "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");

    public static AadstsError CodeExpired() => RefreshTokenExpired();

    public static AadstsError CodeOtherTenant() =>
        new(700005, "invalid_grant", "Provided Authorization Code is intended to use against other tenant, thus rejected.");

    public static AadstsError CodeVerifierMismatch() =>
        new(501481, "invalid_grant", "The Code_Verifier doesn't match the code_challenge supplied in the authorization request.");
}

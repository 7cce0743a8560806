namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// What the caller sees for each refusal class (docs/errors.md, waad section). Descriptions never echo upstream
/// text and never blame the user for an administrator's mistake. The audit detail travels separately.
/// </summary>
public static class WaadRefusals
{
    public const string InvalidTokenDescription = "The identity provider returned an invalid token.";
    public const string MisconfiguredDescription = "The connection is misconfigured.";
    public const string MfaRequiredDescription = "Multifactor authentication required";
    public const string TenantNotAllowedDescription = "Your organization is not allowed to sign in through this connection.";

    public static PasswordLoginResult.Denied InvalidToken(string detail) =>
        new(403, "access_denied", InvalidTokenDescription, "invalid upstream token: " + detail, null);

    /// <summary>A common-endpoint login whose id_token names a tenant the connection does not allow: nothing is provisioned.</summary>
    public static PasswordLoginResult.Denied TenantNotAllowed(Guid tenantId, IReadOnlyCollection<string> unresolvedDomains) =>
        new(403, "access_denied", TenantNotAllowedDescription,
            $"tenant not allowed: id_token tid {tenantId} is not among the connection's allowed tenants"
            + (unresolvedDomains.Count == 0 ? "" : $" (Azure AD did not resolve: {string.Join(", ", unresolvedDomains)})"), null);

    public static PasswordLoginResult.Denied Misconfigured(string detail) =>
        new(403, "access_denied", MisconfiguredDescription, detail, null);

    /// <summary>The caller-facing result for a refusal class; throws for the classes that are infrastructure failures.</summary>
    public static PasswordLoginResult ToResult(AadstsClass cls, string detail) => cls switch
    {
        AadstsClass.WrongPassword => new PasswordLoginResult.InvalidCredentials(false, null, detail),
        AadstsClass.UnknownUser => new PasswordLoginResult.InvalidCredentials(true, null, detail),
        // Auth0's words; the mfa_token beside them continues in Azure AD's own sign-in (docs/errors.md).
        AadstsClass.MfaRequired => Denied(403, "mfa_required", MfaRequiredDescription, detail) with { Continuable = true },
        AadstsClass.ConditionalAccess => Denied(403, "access_denied", "Sign-in blocked by a conditional access policy.", detail) with { Continuable = true },
        AadstsClass.PasswordExpired => Denied(403, "password_change_required",
            "Your password has expired. Change it at your organization's sign-in page, then try again.", detail),
        AadstsClass.Locked => Denied(401, "unauthorized",
            "Your account is locked at the identity provider. Try again later or contact your administrator.", detail),
        AadstsClass.Disabled => Denied(401, "unauthorized", "user is blocked", detail),
        AadstsClass.NotAssigned => Denied(403, "access_denied",
            "Your account is not permitted to use this application at the identity provider. Contact your administrator.", detail),
        AadstsClass.ConsentRequired => Denied(403, "access_denied",
            "The identity provider has no consent for this application; an administrator must grant consent.", detail),
        AadstsClass.PublicClientSentSecret or AadstsClass.ConfidentialWithoutSecret or AadstsClass.Misconfigured =>
            Misconfigured(detail),
        AadstsClass.InteractionRequired => Denied(403, "access_denied",
            "The identity provider requires an interactive sign-in, which this sign-in method cannot provide.", detail),
        AadstsClass.Refused => Denied(403, "access_denied", "The identity provider refused the sign-in.", detail),
        _ => throw new ArgumentOutOfRangeException(nameof(cls), cls, "Infrastructure failures are exceptions, not results."),
    };

    private static PasswordLoginResult.Denied Denied(int status, string error, string description, string detail) =>
        new(status, error, description, detail, null);
}

/// <summary>Internal: unwinds a login to a refusal found deep in a helper (invalid token, misconfigured tenant).</summary>
internal sealed class WaadRefusalException : Exception
{
    public WaadRefusalException(PasswordLoginResult.Denied denied) : base(denied.Description) => Denied = denied;

    public WaadRefusalException() : this(WaadRefusals.Misconfigured("unspecified")) { }

    public WaadRefusalException(string message) : this(WaadRefusals.Misconfigured(message)) { }

    public WaadRefusalException(string message, Exception innerException) : base(message, innerException) =>
        Denied = WaadRefusals.Misconfigured(message);

    public PasswordLoginResult.Denied Denied { get; }
}

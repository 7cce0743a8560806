namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>Which page a flow waits on; a form for another step is refused.</summary>
internal enum FlowStage
{
    SignIn,
    AccountPicker,
    Mfa,
    Consent,
}

/// <summary>
/// One authorize request between its pages (Entra's flowToken). The user, MFA and consent steps done so far
/// are kept here, so each step reruns the same sign-in checks with what is now proven.
/// </summary>
internal sealed class AuthorizeFlow(string id, AuthorizeParameters parameters, DateTimeOffset createdAt)
{
    public string Id { get; } = id;
    public AuthorizeParameters Parameters { get; } = parameters;
    /// <summary>The validated redirect_uri (the request's, or the app's first reply URL on v1 when omitted).</summary>
    public string RedirectUri { get; set; } = "";
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public FlowStage Stage { get; set; } = FlowStage.SignIn;
    /// <summary>Set once a password (or the browser session) proved who the user is.</summary>
    public string? UserId { get; set; }
    public string? Upn { get; set; }
    public bool FromSession { get; set; }
    public bool MfaDone { get; set; }
    public string? MfaCode { get; set; }
    public int MfaFailures { get; set; }
    /// <summary>prompt=consent shows the consent page once even when consent exists.</summary>
    public bool ConsentShown { get; set; }
    /// <summary>What the consent page offers: the resource (app id) and the scopes.</summary>
    public string? ConsentResource { get; set; }
    public IReadOnlyList<string> ConsentScopes { get; set; } = [];
}

namespace Gatehouse.Core.Connections;

/// <summary>
/// A connection whose users sign in at the identity provider's own page in the browser (Azure AD's authorization code
/// flow; later generic OIDC and SAML). Gatehouse sends the browser to <see cref="BeginAsync"/>'s URL and finishes at
/// <c>/login/callback</c> with <see cref="CompleteAsync"/>; the connection only authenticates, the provisioner makes
/// the user, exactly as on the password path.
/// </summary>
public interface IRedirectConnection : IConnection
{
    /// <summary>Email domains whose users belong to this connection (home realm discovery on the login page).</summary>
    IReadOnlyCollection<string> HomeRealmDomains { get; }

    /// <summary>
    /// Where to send the browser. <paramref name="start"/> carries Gatehouse's own <c>state</c>, nonce and PKCE
    /// verifier, which Gatehouse keeps server side and hands back to <see cref="CompleteAsync"/>.
    /// </summary>
    Task<Uri> BeginAsync(RedirectSignInStart start, CancellationToken ct);

    /// <summary>Redeems the provider's answer (all callback parameters) into an identity, or a typed refusal.</summary>
    Task<RedirectSignInResult> CompleteAsync(IReadOnlyDictionary<string, string> callback, RedirectSignInStart start, CancellationToken ct);
}

/// <param name="CallbackUri">Gatehouse's <c>https://{host}/login/callback</c>, registered at the provider.</param>
/// <param name="LoginHint">The user's email when the login page already knows it.</param>
/// <param name="Prompt">"login" to force a new login at the provider, "none" for a silent one.</param>
public sealed record RedirectSignInStart(
    string State,
    string Nonce,
    string CodeVerifier,
    Uri CallbackUri,
    string? LoginHint,
    string? Prompt,
    LoginContext Context);

public abstract record RedirectSignInResult
{
    private RedirectSignInResult() { }

    public sealed record Authenticated(UpstreamIdentity Identity) : RedirectSignInResult;

    /// <summary>
    /// The provider refused or failed (AADSTS on the callback, consent, Conditional Access). Error/Description go to the
    /// app's redirect in Auth0's words (<c>access_denied</c>…); Detail (the upstream code) only to the audit log.
    /// </summary>
    public sealed record Denied(string Error, string Description, string? Detail) : RedirectSignInResult;
}

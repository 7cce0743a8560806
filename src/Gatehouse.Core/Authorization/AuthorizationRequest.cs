namespace Gatehouse.Core.Authorization;

/// <summary>
/// A checked <c>/authorize</c> request (Auth0's parameters; RFC 6749 §4.1.1, RFC 7636, OIDC Core §3.1.2.1): the client
/// is known, <see cref="RedirectUri"/> is one of its callbacks, PKCE is present where required. Everything the login
/// page, the federated callback and the code need to finish it.
/// </summary>
/// <param name="ResponseMode">"query" or "form_post".</param>
/// <param name="Prompt">"none", "login", or null.</param>
/// <param name="MaxAge">Seconds since the user last authenticated beyond which a new login is required.</param>
/// <param name="CodeChallengeMethod">"S256" (plain is refused).</param>
public sealed record AuthorizationRequest(
    string ClientId,
    string RedirectUri,
    string ResponseMode,
    string? State,
    string? Nonce,
    string Scope,
    string? Audience,
    string? Connection,
    string? LoginHint,
    string? Prompt,
    int? MaxAge,
    string? CodeChallenge,
    string? CodeChallengeMethod)
{
    /// <summary>Set when the sign-in continues a password grant's mfa_required: the login must end with that account.</summary>
    public MfaBinding? MfaContinuation { get; init; }
}

using Gatehouse.Core.Authorization;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Server.Authentication;

namespace Gatehouse.Server.Authorization;

/// <summary>What a read <c>/authorize</c> request is: checked, an error for the app, or an error page.</summary>
internal abstract record AuthorizeRead
{
    private AuthorizeRead() { }

    public sealed record Valid(AuthorizationRequest Request, Client Client, ResourceServer? Api) : AuthorizeRead;

    /// <summary>The client and redirect URI are good: the error goes to the app (with iss and state).</summary>
    public sealed record AppError(AppRedirect App, string Error, string Description) : AuthorizeRead;

    /// <summary>No checked redirect URI: the browser gets Gatehouse's error page.</summary>
    public sealed record Page(string Title, string Description) : AuthorizeRead;
}

/// <summary>
/// Reads and checks <c>/authorize</c> parameters (Auth0's set; RFC 6749 §4.1.1, RFC 7636, OIDC Core §3.1.2.1) in the
/// order that decides where an error may go: client, then redirect URI (errors so far are a page), then everything
/// else (errors go to the app).
/// </summary>
internal sealed class AuthorizeRequestReader(ConfigCache config, AudienceResolver audiences, MfaTokens mfaTokens)
{
    /// <summary>The longest value Gatehouse keeps for state, nonce, login_hint and the like.</summary>
    public const int MaxValueLength = 2048;

    private static readonly HashSet<string> ResponseTypes = ["code", "token", "id_token", "id_token token", "code id_token", "code token", "code id_token token"];

    public async Task<AuthorizeRead> ReadAsync(HttpContext http, CancellationToken ct)
    {
        var (parameters, readError) = await BrowserParameters.ReadAsync(http);
        if (parameters is null)
            return new AuthorizeRead.Page("Invalid request", readError!);
        string? Get(string name) => parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        if (Get("client_id") is not { } clientId)
            return new AuthorizeRead.Page("Invalid request", "Missing required parameter: client_id");
        var client = clientId.Length <= 128 ? await config.GetClientAsync(clientId, ct) : null;
        if (client is null || client.IsGlobal)
            return new AuthorizeRead.Page("Unknown client", $"Unknown client: {Shorten(clientId)}");
        if (Get("redirect_uri") is not { } redirectUri)
            return new AuthorizeRead.Page("Invalid request", "The request is missing a required parameter: redirect_uri");
        if (redirectUri.Length > MaxValueLength || !ClientCallbacks.Allows(client, redirectUri))
            return new AuthorizeRead.Page("Callback URL mismatch.", "The provided redirect_uri is not in the list of allowed callback URLs. "
                + "Please go to the Application Settings page and make sure you are sending a valid callback url from your application.");

        var state = Get("state");
        var mode = Get("response_mode") ?? AuthorizationResponses.Query;
        var app = new AppRedirect(redirectUri, mode is AuthorizationResponses.FormPost ? mode : AuthorizationResponses.Query, state is { Length: <= MaxValueLength } ? state : null);
        AuthorizeRead Refuse(string error, string description) => new AuthorizeRead.AppError(app, error, description);

        if (parameters.FirstOrDefault(p => p.Value.Length > MaxValueLength) is { Key: { } tooLong })
            return Refuse("invalid_request", $"The parameter {Shorten(tooLong)} is longer than {MaxValueLength} characters.");
        if (mode is not (AuthorizationResponses.Query or AuthorizationResponses.FormPost))
            return Refuse("invalid_request", $"Unsupported response_mode: {mode}");
        if (Get("response_type") is not { } responseType)
            return Refuse("invalid_request", "Missing required parameter: response_type");
        if (responseType != "code")
            return Refuse("unsupported_response_type", ResponseTypes.Contains(responseType)
                ? $"Unsupported response type: {responseType}"
                : "response_type must be one of: code");
        if (!client.GrantTypes.Contains(GrantTypes.AuthorizationCode))
            return Refuse("unauthorized_client", $"Grant type '{GrantTypes.AuthorizationCode}' not allowed for the client.");

        var challenge = Get("code_challenge");
        var method = Get("code_challenge_method");
        if (challenge is null && method is not null)
            return Refuse("invalid_request", "Missing required parameter: code_challenge");
        if (challenge is not null && method != Pkce.S256)
            return Refuse("invalid_request", "Unsupported code_challenge_method: only S256 is supported.");
        if (challenge is not null && !Pkce.IsValidChallenge(challenge))
            return Refuse("invalid_request", "code_challenge must be the BASE64URL of a SHA-256 hash (43 characters).");
        if (challenge is null && client.TokenEndpointAuthMethod == TokenEndpointAuthMethods.None)
            return Refuse("invalid_request", "Missing required parameter: code_challenge (PKCE is required for public clients)");

        string? prompt = null;
        switch (Get("prompt"))
        {
            case null or "consent" or "select_account":
                break; // first-party apps skip consent, and there is one account per session (docs/browser-sign-in.md)
            case "none" or "login":
                prompt = Get("prompt");
                break;
            default:
                return Refuse("invalid_request", $"Unsupported prompt: {Get("prompt")}");
        }
        int? maxAge = null;
        if (Get("max_age") is { } maxAgeText)
        {
            if (!int.TryParse(maxAgeText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                return Refuse("invalid_request", "max_age must be a non-negative integer (seconds).");
            maxAge = seconds;
        }

        var tenant = await config.GetTenantSettingsAsync(ct) ?? new TenantSettings("", "", "", null, 0);
        var (audience, audienceError) = await audiences.ResolveAsync(Get("audience"), tenant, ct);
        if (audienceError is not null)
            return Refuse(audienceError.Error, audienceError.Description);
        if (audience!.Api is { IsSystem: true })
            return Refuse("access_denied", "Browser sign-in cannot be used to get tokens for the Management API.");
        if (!client.IsFirstParty)
            return Refuse(prompt == "none" ? "consent_required" : "access_denied", prompt == "none"
                ? "Consent required"
                : "Third-party applications need a consent step that Gatehouse does not offer.");

        var connection = Get("connection");
        var loginHint = Get("login_hint");
        MfaBinding? continuation = null;
        if (Get(MfaAccountMatch.AuthorizeParameter) is { } handle)
        {
            // Continuing a password grant's mfa_required: a fresh login at the token's connection, for the tried user.
            var (binding, refusal) = await mfaTokens.TakeBrowserHandleAsync(handle, client.ClientId, ct);
            if (binding is null)
                return Refuse("access_denied", refusal == MfaTokenRefusal.Expired
                    ? "The mfa_continuation has expired: sign in again."
                    : "The mfa_continuation is unknown, was already used, or belongs to another application.");
            if (prompt == "none")
                return Refuse("invalid_request", "prompt=none cannot continue an mfa_token: the user must sign in.");
            if ((connection is not null && connection != binding.ConnectionName)
                || (loginHint is not null && !string.Equals(loginHint, binding.Username, StringComparison.OrdinalIgnoreCase)))
                return Refuse("invalid_request", "connection and login_hint must be those of the mfa_token (or absent).");
            (connection, loginHint, prompt, continuation) = (binding.ConnectionName, binding.Username, "login", binding);
        }

        return new AuthorizeRead.Valid(new AuthorizationRequest(
            ClientId: client.ClientId,
            RedirectUri: redirectUri,
            ResponseMode: app.ResponseMode,
            State: state,
            Nonce: Get("nonce"),
            Scope: Get("scope") ?? "openid",
            Audience: audience.Api?.Identifier,
            Connection: connection,
            LoginHint: loginHint,
            Prompt: prompt,
            MaxAge: maxAge,
            CodeChallenge: challenge,
            CodeChallengeMethod: challenge is null ? null : Pkce.S256) { MfaContinuation = continuation }, client, audience.Api);
    }

    internal static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

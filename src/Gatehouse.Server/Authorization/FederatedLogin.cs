using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Users;

namespace Gatehouse.Server.Authorization;

/// <summary>
/// The browser leg through a connection's own sign-in page (<see cref="IRedirectConnection"/>): Gatehouse makes the
/// state, nonce and PKCE verifier and keeps them server side (<see cref="FederatedStates"/>, single use, bound to the
/// login transaction); <c>/login/callback</c> takes the state back, lets the connection redeem the answer, then
/// provisions exactly as the password grant does (same provisioner, same user_id, a blocked user refused) and
/// finishes through <see cref="SignInCompletion"/>.
/// </summary>
internal sealed partial class FederatedLogin(
    IFederatedStateStore states, ILoginTransactionStore transactions, ConfigCache config, ConnectionCache connections,
    FederatedUserProvisioner provisioner, LoginRecorder logins, SignInCompletion completion, TenantIssuer issuer,
    AuthorizationOptions options, TimeProvider time, ILogger<FederatedLogin> log)
{
    public const string CallbackPath = "login/callback";

    /// <summary>What the app hears when another account finished a sign-in that continues an mfa_token.</summary>
    public const string MfaAccountMismatchDescription =
        "The account that signed in is not the one the mfa_token was issued for. Sign in with the same account.";

    /// <summary>The longest email the login page takes (RFC 5321's path limit), and so the longest hint passed on.</summary>
    public const int MaxLoginHintLength = 320;

    /// <summary>
    /// Sends the browser to the connection's sign-in page for this transaction, with <paramref name="loginHint"/> (the
    /// email typed on the login page) or else the app's own login_hint.
    /// </summary>
    public async Task<IResult> BeginAsync(HttpContext http, LoginTransaction transaction, IRedirectConnection connection, CancellationToken ct, string? loginHint = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(connection);
        var binding = Secrets.RandomToken(32);
        var state = new FederatedState(Secrets.RandomToken(32), transaction.Id, connection.Definition.Name, Secrets.RandomToken(32),
            Secrets.RandomToken(32), loginHint ?? transaction.Request.LoginHint, transaction.Request.Prompt,
            time.GetUtcNow().AddSeconds(options.FederatedStateLifetimeSeconds), Secrets.HashToken(binding));
        Uri destination;
        try
        {
            destination = await connection.BeginAsync(Start(http, state, transaction.Request.ClientId), ct);
        }
        catch (UpstreamUnavailableException unavailable)
        {
            return await completion.FailAsync(http, transaction, "temporarily_unavailable",
                "The identity provider is temporarily unavailable. Please try again later.", LogTypes.FailedLogin, unavailable.Message, ct);
        }
        await states.SaveAsync(state, ct);
        FederatedBrowserBinding.Set(http, state.State, binding, options.FederatedStateLifetimeSeconds);
        return new BrowserRedirect(destination.AbsoluteUri);
    }

    /// <summary>
    /// The login page's "Continue with" link: <c>/login/federated?state={transaction}&amp;connection={name}</c>, and home
    /// realm discovery's, which adds <c>login_hint={typed email}</c>. Only a plausible hint is passed on (see
    /// <see cref="TypedHint"/>); the connection encodes it as one query value.
    /// </summary>
    public async Task<IResult> BeginFromLoginPageAsync(HttpContext http, string? transactionId, string? connectionName, CancellationToken ct, string? loginHint = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var transaction = transactionId is { Length: <= 128 } ? await transactions.FindAsync(transactionId, ct) : null;
        if (transaction is null)
            return Expired();
        var definition = connectionName is { Length: <= 128 } ? await config.GetConnectionByNameAsync(connectionName, ct) : null;
        if (definition is null || !definition.EnabledClients.Contains(transaction.Request.ClientId)
            || connections.Get(definition) is not IRedirectConnection connection)
            return AuthorizationResponses.ErrorPage("Invalid request", "This connection cannot sign in to the application.");
        return await BeginAsync(http, transaction, connection, ct, TypedHint(loginHint));
    }

    /// <summary>The typed email as a hint: trimmed, at most <see cref="MaxLoginHintLength"/> characters, no control characters; else none.</summary>
    internal static string? TypedHint(string? value)
    {
        var hint = value?.Trim();
        return hint is { Length: > 0 and <= MaxLoginHintLength } && !hint.Any(char.IsControl) ? hint : null;
    }

    /// <summary>GET|POST /login/callback: the provider's answer. An unknown, expired or reused state never gets a code.</summary>
    public async Task<IResult> CallbackAsync(HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var (parameters, error) = await BrowserParameters.ReadAsync(http);
        if (parameters is null)
            return AuthorizationResponses.ErrorPage("Invalid request", error!);
        if (!parameters.TryGetValue("state", out var stateValue) || stateValue.Length is 0 or > 256)
            return AuthorizationResponses.ErrorPage("Invalid state", "The answer of the identity provider has no state.");
        if (await states.TakeAsync(stateValue, ct) is not { } state)
            return AuthorizationResponses.ErrorPage("Invalid state",
                "The answer of the identity provider is unknown, expired, or was already used. Go back to the application and sign in again.");
        if (!FederatedBrowserBinding.TakeAndCheck(http, state))
            return AuthorizationResponses.ErrorPage("Invalid state",
                "This answer of the identity provider belongs to a sign-in started in another browser. Go back to the application and sign in again.");
        if (await transactions.FindAsync(state.TransactionId, ct) is not { } transaction)
            return Expired();

        var definition = await config.GetConnectionByNameAsync(state.ConnectionName, ct);
        if (definition is null || !definition.EnabledClients.Contains(transaction.Request.ClientId)
            || connections.Get(definition) is not IRedirectConnection connection)
            return await completion.FailAsync(http, transaction, "access_denied", "the connection was disabled", LogTypes.FailedLogin, null, ct);

        RedirectSignInResult result;
        try
        {
            result = await connection.CompleteAsync(parameters, Start(http, state, transaction.Request.ClientId), ct);
        }
        catch (UpstreamUnavailableException unavailable)
        {
            return await completion.FailAsync(http, transaction, "temporarily_unavailable",
                "The identity provider is temporarily unavailable. Please try again later.", LogTypes.FailedLogin, unavailable.Message, ct);
        }
        if (result is RedirectSignInResult.Denied denied)
            return await completion.FailAsync(http, transaction, denied.Error, denied.Description, LogTypes.FailedLogin, denied.Detail, ct);

        var identity = ((RedirectSignInResult.Authenticated)result).Identity;
        if (transaction.Request.MfaContinuation is { } binding && MfaAccountMatch.Mismatch(binding, definition.Id, identity) is { } mismatch)
        {
            // Another account finished a sign-in started from an mfa_token: nothing is provisioned, no code is issued.
            MfaAccountMismatch(log, binding.ClientId, definition.Name, mismatch);
            return await completion.FailAsync(http, transaction, "access_denied", MfaAccountMismatchDescription, LogTypes.FailedLogin,
                "mfa_token continuation: " + mismatch, ct);
        }
        var ip = http.Connection.RemoteIpAddress?.ToString();
        switch (await provisioner.ProvisionAsync(definition, identity, ip, ct))
        {
            case ProvisioningResult.Refused refused:
                return await completion.FailAsync(http, transaction, refused.Denied.Error, refused.Denied.Description, LogTypes.FailedLogin, refused.Denied.Detail, ct);
            case ProvisioningResult.Provisioned { User.Blocked: true }:
                return await completion.FailAsync(http, transaction, "access_denied", "user is blocked", LogTypes.FailedLogin, "blocked in Gatehouse", ct);
            case ProvisioningResult.Provisioned provisioned:
                var user = provisioned.LoginRecorded ? provisioned.User : await logins.RecordAsync(provisioned.User, ip, ct);
                return await completion.CompleteAsync(http, transaction, user, definition.Name, ct);
            default:
                throw new InvalidOperationException("Unexpected provisioning result.");
        }
    }

    private RedirectSignInStart Start(HttpContext http, FederatedState state, string clientId) => new(
        state.State, state.Nonce, state.CodeVerifier, new Uri(issuer.Issuer + CallbackPath), state.LoginHint, state.Prompt,
        new LoginContext(clientId, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), http.TraceIdentifier));

    [LoggerMessage(EventId = 1852, EventName = "MfaAccountMismatch", Level = LogLevel.Warning,
        Message = "A sign-in continuing an mfa_token of client {ClientId} at connection {Connection} was refused: {Reason}")]
    private static partial void MfaAccountMismatch(ILogger log, string clientId, string connection, string reason);

    private static IResult Expired() => AuthorizationResponses.ErrorPage("Login session expired",
        "This login has expired or was already completed. Go back to the application and sign in again.");
}

/// <summary>A 302 to a page of Gatehouse or of an identity provider, never cached.</summary>
internal sealed class BrowserRedirect(string location) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status302Found;
        httpContext.Response.Headers.CacheControl = "no-store";
        httpContext.Response.Headers["Referrer-Policy"] = "no-referrer";
        httpContext.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}

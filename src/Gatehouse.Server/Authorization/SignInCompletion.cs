using System.Text.Json;
using Gatehouse.Core.Access;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Membership;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Server.Login;
using Gatehouse.Server.Sessions;

namespace Gatehouse.Server.Authorization;

/// <summary>
/// Finishes an <c>/authorize</c> request: the SSO session (new on a fresh login, extended on a silent one), a code
/// (256 random bits; only its SHA-256 is stored, for <see cref="AuthorizationOptions.CodeLifetimeSeconds"/>), the
/// answer to the app, and the audit event (<c>s</c> fresh, <c>ssa</c> silent, the caller's type on failure).
/// </summary>
internal sealed class SignInCompletion(
    IAuthorizationCodeStore codes, ILoginTransactionStore transactions, ISsoSessions sessions, ConfigCache config, AuditLog audit,
    TenantIssuer issuer, AuthorizationOptions options, TimeProvider time, DeviceAuthorizations devices, LoginSubjects subjects,
    AccessPolicy access) : ISignInCompletion
{
    public async Task<IResult> CompleteAsync(HttpContext http, LoginTransaction transaction, User user, string connectionName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        // The transaction ends here, once: a second completion (a double submit, a replayed callback) gets no code.
        if (!await transactions.RemoveAsync(transaction.Id, ct))
            return TransactionGone();
        if (await RefusedAsync(http, transaction.Request, transaction.DeviceCodeHash, user, connectionName, ct) is { } refused)
            return refused;
        if (transaction.DeviceCodeHash is { } device)
            return await FinishDeviceAsync(http, transaction.Request, device, user, connectionName, ct);
        return await FinishAsync(http, transaction.Request, user, connectionName, freshLogin: true, ct);
    }

    /// <summary>Signs in from the browser's live SSO session without UI (no transaction was stored).</summary>
    public async Task<IResult> CompleteSilentlyAsync(HttpContext http, AuthorizationRequest request, User user, string connectionName, CancellationToken ct) =>
        await RefusedAsync(http, request, null, user, connectionName, ct)
            ?? await FinishAsync(http, request, user, connectionName, freshLogin: false, ct);

    /// <summary>
    /// The application's access rules (<see cref="AccessPolicy"/>, as on the token path): a user it does not let in gets
    /// no session and no code; the app hears <c>access_denied</c> at its callback (Auth0's answer when a rule denies), a
    /// device hears it on its next poll. Audited as a failed login naming the rule.
    /// </summary>
    private async Task<IResult?> RefusedAsync(HttpContext http, AuthorizationRequest request, string? deviceCodeHash, User user,
        string connectionName, CancellationToken ct)
    {
        if (await config.GetClientAsync(request.ClientId, ct) is not { } client)
            return null;
        var connection = connectionName.Length <= 128 ? await config.GetConnectionByNameAsync(connectionName, ct) : null;
        if (await access.CheckAsync(client, subjects.For(user, connection), ct) is not { } denial)
            return null;
        var errorDetail = new Dictionary<string, string> { ["message"] = denial.Description, ["oauthError"] = "access_denied", ["detail"] = "access rule: " + denial.Rule };
        await audit.WriteAsync(await EntryAsync(http, request, LogTypes.FailedLogin, denial.Description, connectionName, ct) with
        {
            UserId = user.UserId,
            UserName = user.Email ?? user.Username,
            Details = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["error"] = errorDetail }),
        }, ct);
        if (deviceCodeHash is not null)
        {
            await devices.DenyAsync(deviceCodeHash, "access rule: " + denial.Rule, ct, denial.Description);
            return DeviceActivationHtml.Finished(false, denial.Description);
        }
        return AuthorizationResponses.Error(App(request), "access_denied", denial.Description, issuer.Issuer);
    }

    public async Task<IResult> FailAsync(HttpContext http, LoginTransaction transaction, string error, string description, string auditType, string? detail, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(transaction);
        if (!await transactions.RemoveAsync(transaction.Id, ct))
            return TransactionGone();
        await AuditFailureAsync(http, transaction.Request, auditType, error, description, detail, null, ct);
        if (transaction.DeviceCodeHash is { } device)
        {
            // The device hears access_denied on its next poll; the person at the browser reads why here.
            await devices.DenyAsync(device, detail ?? description, ct);
            return DeviceActivationHtml.Finished(false, description);
        }
        return AuthorizationResponses.Error(App(transaction.Request), error, description, issuer.Issuer);
    }

    /// <summary>A refusal audit event for a browser request (failed login, failed silent authentication).</summary>
    public async Task AuditFailureAsync(HttpContext http, AuthorizationRequest request, string auditType, string error, string description,
        string? detail, string? connectionName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        var errorDetail = new Dictionary<string, string> { ["message"] = description, ["oauthError"] = error };
        if (detail is not null)
            errorDetail["detail"] = detail;
        await audit.WriteAsync(await EntryAsync(http, request, auditType, description, connectionName ?? request.Connection, ct) with
        {
            Details = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["error"] = errorDetail }),
        }, ct);
    }

    public static AppRedirect App(AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AppRedirect(request.RedirectUri, request.ResponseMode, request.State);
    }

    private async Task<IResult> FinishAsync(HttpContext http, AuthorizationRequest request, User user, string connectionName, bool freshLogin, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        var session = await sessions.SignInAsync(http, user, connectionName, request.ClientId, freshLogin, ct);
        var code = Secrets.RandomToken(32);
        await codes.SaveAsync(new AuthorizationCode(Secrets.HashToken(code), request, user.UserId, connectionName, session.Id,
            session.AuthenticatedAt, time.GetUtcNow().AddSeconds(options.CodeLifetimeSeconds)), ct);
        await audit.WriteAsync(await EntryAsync(http, request, freshLogin ? LogTypes.SuccessLogin : LogTypes.SuccessSilentAuth,
            freshLogin ? "Successful login" : "Successful silent authentication", connectionName, ct) with
        {
            UserId = user.UserId,
            UserName = user.Email ?? user.Username,
            Details = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["session_id"] = session.Id, ["requested_client_id"] = request.ClientId }),
        }, ct);
        return AuthorizationResponses.Success(App(request), code, issuer.Issuer);
    }

    /// <summary>
    /// A device's sign-in: the session as for any fresh login, then the device authorization approved (its next poll gets
    /// the tokens) and a page telling the person to go back to the device. No code, no redirect to any app.
    /// </summary>
    private async Task<IResult> FinishDeviceAsync(HttpContext http, AuthorizationRequest request, string deviceCodeHash, User user, string connectionName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var session = await sessions.SignInAsync(http, user, connectionName, request.ClientId, freshLogin: true, ct);
        if (!await devices.ApproveAsync(deviceCodeHash, user.UserId, connectionName, session.Id, session.AuthenticatedAt, ct))
        {
            await AuditFailureAsync(http, request, LogTypes.FailedDeviceActivation, "expired_token", "The device code expired or was cancelled.",
                null, connectionName, ct);
            return DeviceActivationHtml.Finished(false, "The code expired or was cancelled before you signed in. Start again on your device.");
        }
        await audit.WriteAsync(await EntryAsync(http, request, LogTypes.SuccessLogin, "Successful login", connectionName, ct) with
        {
            UserId = user.UserId,
            UserName = user.Email ?? user.Username,
            Details = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["session_id"] = session.Id, ["requested_client_id"] = request.ClientId, ["device"] = true }),
        }, ct);
        return DeviceActivationHtml.Finished(true, null);
    }

    private async Task<AuditEntry> EntryAsync(HttpContext http, AuthorizationRequest request, string type, string description, string? connectionName, CancellationToken ct)
    {
        var client = await config.GetClientAsync(request.ClientId, ct);
        var connection = connectionName is { Length: <= 128 } ? await config.GetConnectionByNameAsync(connectionName, ct) : null;
        var ip = http.Connection.RemoteIpAddress?.ToString();
        return new AuditEntry(type, description)
        {
            ClientId = request.ClientId,
            ClientName = client?.Name,
            Connection = connection,
            Ip = ip,
            ClientIp = ip,
            UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 512)] : null,
            Audience = request.Audience,
            Scope = request.Scope,
        };
    }

    private static IResult TransactionGone() => AuthorizationResponses.ErrorPage("Login session expired",
        "This login was already completed or has expired. Go back to the application and sign in again.");
}

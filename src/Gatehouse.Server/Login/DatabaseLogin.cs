using System.Text.Json;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Login;

/// <summary>
/// The login page's email + password sign-in: the token endpoint's own checks (<see cref="LoginProtection"/> around
/// <see cref="PasswordSignIn"/>: brute force per identifier and IP, suspicious IP throttling, the connection's
/// LoginAsync, blocked users), and a failure logged with the same Auth0 codes (<c>f</c>, <c>fp</c>, <c>fu</c>; the
/// protection writes <c>limit_wc</c> / <c>limit_mu</c>). The caller shows <see cref="PlainWords"/>, never the codes.
/// </summary>
internal sealed class DatabaseLogin(LoginProtection protection, PasswordSignIn signIn, ConfigCache config, AuditLog audit)
{
    /// <summary>The user, or the refusal in plain words for the page.</summary>
    public async Task<(User? User, string? Problem)> SignInAsync(
        HttpContext http, LoginTransaction transaction, LoginConnection<IPasswordOwningConnection> database, string username, string password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(database);
        var client = await config.GetClientAsync(transaction.Request.ClientId, ct);
        var ip = BrowserCaller.Ip(http);
        var caller = new AuditEntry(LogTypes.FailedLogin, null)
        {
            ClientId = transaction.Request.ClientId,
            ClientName = client?.Name,
            Connection = database.Definition,
            UserName = username,
            Ip = ip,
            ClientIp = ip,
            UserAgent = BrowserCaller.UserAgent(http),
            Audience = transaction.Request.Audience,
            Scope = transaction.Request.Scope,
        };
        var attempt = new LoginAttempt(ProtectionKeys.Normalize(username), ip, database.Definition, caller) { Live = database.Live };

        User? user = null;
        GrantOutcome.Refused? refused = null;
        var blocked = await protection.RunAsync(attempt, username, async () =>
        {
            (user, refused) = await signIn.SignInAsync(database.Live, username, password,
                new LoginContext(transaction.Request.ClientId, ip, caller.UserAgent, http.TraceIdentifier), OAuthError.WrongCredentials(), ct);
            return (user, refused);
        }, ct);
        if ((blocked ?? refused) is not { } refusal)
            return (user, null);

        var error = new Dictionary<string, string> { ["message"] = refusal.Error.Description, ["oauthError"] = refusal.Error.Error };
        if (refusal.Detail is { } detail)
            error["detail"] = detail;
        await audit.WriteAsync(caller with
        {
            Type = refusal.AuditType ?? LogTypes.FailedLogin,
            Description = refusal.Error.Description,
            UserId = refusal.UserId,
            Details = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["error"] = error }),
        }, ct);
        return (null, PlainWords(refusal));
    }

    /// <summary>What the person at the page reads: no codes, nothing that tells an unknown user from a wrong password.</summary>
    private static string PlainWords(GrantOutcome.Refused refusal) => refusal.Error.Error switch
    {
        "invalid_grant" => "Wrong email or password.",
        "too_many_attempts" => "Too many failed attempts. Sign-in is blocked for now: try again later or contact your administrator.",
        "unauthorized" => "This account is blocked. Contact your administrator.",
        "temporarily_unavailable" => "Sign-in is not available right now. Please try again in a moment.",
        _ => "We could not sign you in. Contact your administrator if this keeps happening.",
    };
}

using Gatehouse.Core.Connections;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Users;

namespace Gatehouse.Core.Grants;

/// <summary>
/// The password check every password surface shares (the password grants, the hosted login page): the connection's
/// LoginAsync, a federated identity made a user (<see cref="FederatedUserProvisioner"/>), a blocked user refused (the
/// one place that checks), the login recorded. Attack protection wraps it from outside (<see cref="Protection.LoginProtection"/>).
/// </summary>
public sealed class PasswordSignIn(FederatedUserProvisioner provisioner, LoginRecorder logins)
{
    /// <summary>The signed-in user, or the refusal with its audit type (fp, fu) and audit-only detail.</summary>
    /// <param name="wrongCredentials">What a wrong password or unknown user answers (legacy /oauth/ro has its own words).</param>
    public async Task<(User? User, GrantOutcome.Refused? Refusal)> SignInAsync(
        IPasswordConnection connection, string username, string password, LoginContext context, OAuthError wrongCredentials, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(context);
        PasswordLoginResult login;
        try
        {
            login = await connection.LoginAsync(username, password, context, ct);
        }
        catch (UpstreamUnavailableException unavailable)
        {
            return (null, new GrantOutcome.Refused(OAuthError.TemporarilyUnavailable(unavailable.RetryAfter))
            {
                UserName = username,
                Detail = unavailable.Message,
            });
        }
        var recorded = false;
        if (login is PasswordLoginResult.Authenticated authenticated)
            (login, recorded) = await ProvisionAsync(connection.Definition, authenticated.Identity, context.Ip, ct);
        else if (login is PasswordLoginResult.Success { User.LinkedTo: not null } linked)
            login = new PasswordLoginResult.Success(await provisioner.PrimaryOfAsync(linked.User, ct)); // a linked account signs its primary in
        switch (login)
        {
            case PasswordLoginResult.InvalidCredentials invalid:
                return (null, new GrantOutcome.Refused(wrongCredentials)
                {
                    AuditType = invalid.UnknownUser ? LogTypes.UnknownUser : LogTypes.WrongPassword,
                    UserId = invalid.UserId,
                    UserName = username,
                    Detail = invalid.Detail,
                    CredentialsRefused = true,
                });
            case PasswordLoginResult.Denied denied:
                return (null, new GrantOutcome.Refused(new OAuthError(denied.Status, denied.Error, denied.Description))
                {
                    UserId = denied.UserId,
                    UserName = username,
                    Detail = denied.Detail,
                    CredentialsRefused = true,
                    Continuable = denied.Continuable,
                });
            case PasswordLoginResult.Success { User.Blocked: true } blocked:
                return (null, new GrantOutcome.Refused(new OAuthError(401, "unauthorized", "user is blocked"))
                {
                    UserId = blocked.User.UserId,
                    UserName = username,
                    Detail = "blocked in Gatehouse",
                    CredentialsRefused = true,
                });
            case PasswordLoginResult.Success success:
                return (recorded ? success.User : await logins.RecordAsync(success.User, context.Ip, ct), null);
            default:
                throw new InvalidOperationException($"Unexpected login result {login.GetType().Name}.");
        }
    }

    /// <summary>The provisioned user as a <see cref="PasswordLoginResult.Success"/> (and whether its login is already counted), or the refusal.</summary>
    private async Task<(PasswordLoginResult Login, bool Recorded)> ProvisionAsync(Connection connection, UpstreamIdentity identity, string? ip, CancellationToken ct) =>
        await provisioner.ProvisionAsync(connection, identity, ip, ct) switch
        {
            ProvisioningResult.Provisioned provisioned => (new PasswordLoginResult.Success(provisioned.User), provisioned.LoginRecorded),
            ProvisioningResult.Refused refused => (refused.Denied, false),
            var other => throw new InvalidOperationException($"Unexpected provisioning result {other.GetType().Name}."),
        };
}

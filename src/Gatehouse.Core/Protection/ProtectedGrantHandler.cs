using Gatehouse.Core.Connections;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Protection;

/// <summary>
/// A password grant (password, password-realm, /oauth/ro) with <see cref="LoginProtection"/> around its own work:
/// the pipeline's shared steps stay as they are, the protected grant is refused before the connection is asked.
/// </summary>
public sealed class ProtectedGrantHandler(IGrantHandler inner, LoginProtection protection) : IGrantHandler
{
    public string GrantType => inner.GrantType;

    public bool Legacy => inner.Legacy;

    public IReadOnlyList<string> RequiredParameters => inner.RequiredParameters;

    public bool RequiresConfidentialClient => inner.RequiresConfidentialClient;

    public bool RequiresFirstPartyClient => inner.RequiresFirstPartyClient;

    public string SuccessLogType => inner.SuccessLogType;

    public string FailureLogType => inner.FailureLogType;

    public (string? Name, OAuthError? Error) SelectConnection(TokenRequest request, TenantSettings tenant) => inner.SelectConnection(request, tenant);

    public async Task<GrantOutcome> HandleAsync(GrantContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Connection is not { } connection || context.Request["username"] is not { } username)
            return await inner.HandleAsync(context, ct);

        var request = context.Request;
        var attempt = new LoginAttempt(ProtectionKeys.Normalize(username), request.Ip, connection, new AuditEntry(LogTypes.FailedLogin, null)
        {
            ClientId = context.Client.ClientId,
            ClientName = context.Client.Name,
            Connection = connection,
            UserName = username,
            Ip = request.Ip,
            ClientIp = request.ClientIp ?? request.Ip,
            UserAgent = request.UserAgent,
        })
        {
            Live = context.Live as IPasswordConnection,
        };
        GrantOutcome? outcome = null;
        var blocked = await protection.RunAsync(attempt, username, async () =>
        {
            outcome = await inner.HandleAsync(context, ct);
            return outcome switch
            {
                GrantOutcome.Granted granted => (granted.Grant.User, null),
                GrantOutcome.Refused refused => (null, refused),
                _ => (null, null),
            };
        }, ct);
        return blocked ?? outcome!;
    }
}

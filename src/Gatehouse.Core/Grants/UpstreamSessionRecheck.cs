using System.Security.Cryptography;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Core.Grants;

/// <summary>
/// The refresh grant's question to the identity provider (docs/waad.md, "Refresh tokens Azure AD can revoke"): at the
/// connection's interval, redeem the upstream refresh token kept (encrypted) for the user. Gone → the caller revokes the
/// family; an outage is forgiven until the interval plus the grace has passed since the provider last confirmed the
/// account. The rotated upstream token and what the check said are stored on the user's identity.
/// </summary>
public sealed partial class UpstreamSessionRecheck(
    ConnectionCache connections, IUserStore users, ISecretProtector protector, TimeProvider time, ILogger<UpstreamSessionRecheck> log)
{
    /// <summary>Null when the refresh may go on; else why not (audit detail, naming the upstream reason).</summary>
    public async Task<string?> RefusalAsync(User user, Connection connection, string correlationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(connection);
        if (connections.Get(connection) is not IUpstreamSessionCheck check || check.RecheckInterval <= TimeSpan.Zero)
            return null;
        var identity = user.Identities.FirstOrDefault(i => i.Connection == connection.Name);
        if (identity?.RefreshTokenProtected is not { } protectedToken)
            return null; // nothing kept to ask with (ext_refresh_token false): docs/waad.md says so
        var now = time.GetUtcNow();
        var confirmedAt = identity.UpstreamCheck?.ConfirmedAt ?? user.LastLogin ?? user.CreatedAt;
        if (now - confirmedAt < check.RecheckInterval)
            return null;

        string upstreamToken;
        try
        {
            upstreamToken = protector.Unprotect(protectedToken, UpstreamTokenPurposes.RefreshToken);
        }
        catch (CryptographicException)
        {
            return null; // a key the node no longer has: the next login stores a fresh token
        }
        var answer = await check.RecheckAsync(upstreamToken, correlationId, ct);
        switch (answer)
        {
            case UpstreamSessionAnswer.Alive alive:
                await SaveAsync(user, identity, alive.RotatedRefreshToken, new UpstreamCheck(now, "alive", now), ct);
                return null;
            case UpstreamSessionAnswer.Gone gone:
                UpstreamSessionGone(log, user.UserId, connection.Name, gone.Reason);
                await SaveAsync(user, identity, null, new UpstreamCheck(now, "revoked: " + gone.Reason, confirmedAt), ct);
                return "The identity provider revoked the user's session: " + gone.Reason;
            case UpstreamSessionAnswer.Unavailable unavailable:
                await SaveAsync(user, identity, null, new UpstreamCheck(now, "unavailable: " + unavailable.Detail, confirmedAt), ct);
                if (now - confirmedAt < check.RecheckInterval + check.RecheckGrace)
                {
                    UpstreamSessionUnconfirmed(log, user.UserId, connection.Name, unavailable.Detail);
                    return null;
                }
                UpstreamSessionGraceOver(log, user.UserId, connection.Name, unavailable.Detail);
                return "The identity provider could not confirm the user's session within the grace period: " + unavailable.Detail;
            default:
                throw new InvalidOperationException("Unexpected upstream answer.");
        }
    }

    /// <summary>Best effort: a concurrent write of the user (a login) wins; the next refresh asks again.</summary>
    private async Task SaveAsync(User user, UserIdentity identity, string? rotated, UpstreamCheck result, CancellationToken ct)
    {
        var updated = identity with
        {
            RefreshTokenProtected = rotated is null ? identity.RefreshTokenProtected : protector.Protect(rotated, UpstreamTokenPurposes.RefreshToken),
            UpstreamCheck = result,
        };
        try
        {
            await users.UpdateUserAsync(user with { Identities = [.. user.Identities.Select(i => ReferenceEquals(i, identity) ? updated : i)] }, ct);
        }
        catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.NotFound)
        {
            // Another write of the user came first.
        }
    }

    [LoggerMessage(EventId = 1860, EventName = "UpstreamSessionGone", Level = LogLevel.Warning,
        Message = "The identity provider of connection {Connection} revoked the session of user {UserId}: {Reason}; the refresh token family is revoked")]
    private static partial void UpstreamSessionGone(ILogger log, string userId, string connection, string reason);

    [LoggerMessage(EventId = 1861, EventName = "UpstreamSessionUnconfirmed", Level = LogLevel.Warning,
        Message = "The identity provider of connection {Connection} could not be asked about user {UserId} ({Detail}); refresh goes on within the grace")]
    private static partial void UpstreamSessionUnconfirmed(ILogger log, string userId, string connection, string detail);

    [LoggerMessage(EventId = 1862, EventName = "UpstreamSessionGraceOver", Level = LogLevel.Warning,
        Message = "The identity provider of connection {Connection} could not confirm user {UserId} within the grace ({Detail}); refresh is refused")]
    private static partial void UpstreamSessionGraceOver(ILogger log, string userId, string connection, string detail);
}

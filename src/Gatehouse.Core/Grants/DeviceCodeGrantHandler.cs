using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tokens;
using Gatehouse.Core.Users;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Core.Grants;

/// <summary>
/// <c>urn:ietf:params:oauth:grant-type:device_code</c> (RFC 8628 §3.4–3.5, Auth0's answers): <c>authorization_pending</c>
/// while the user has not finished, <c>slow_down</c> (429) for a poll sooner than the interval after the previous one,
/// <c>access_denied</c> once the user cancelled, <c>expired_token</c> exactly once after the end, and
/// <c>invalid_grant</c> for an unknown code, another client's code, or any poll after the tokens or the expiry answer.
/// A brokered authorization polls the provider here, never sooner than the provider's interval, whatever the app does.
/// Tokens as every other grant issues them. An authorization an <c>mfa_token</c> started is refused when the provider's
/// answer is another account than the one the password grant tried (<see cref="MfaAccountMatch"/>).
/// </summary>
public sealed partial class DeviceCodeGrantHandler(
    IDeviceAuthorizationStore store, IUserStore users, ConfigCache config, ConnectionCache connections, AudienceResolver audiences,
    FederatedUserProvisioner provisioner, LoginRecorder logins, TokenOptions options, TimeProvider time, ILogger<DeviceCodeGrantHandler> log)
    : IGrantHandler
{
    public string GrantType => GrantTypes.DeviceCode;

    public IReadOnlyList<string> RequiredParameters => ["device_code"];

    public string SuccessLogType => LogTypes.SuccessDeviceCodeExchange;

    public string FailureLogType => LogTypes.FailedDeviceCodeExchange;

    public async Task<GrantOutcome> HandleAsync(GrantContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var raw = context.Request["device_code"]!;
        if (raw.Length > 512)
            return Invalid(null, "The device code is longer than any code Gatehouse issues.");
        var hash = Secrets.HashToken(raw);
        var now = time.GetUtcNow();
        // One atomic step decides the answer and records the poll, so concurrent polls (on any nodes) cannot both win or
        // both poll upstream. The poll is pure (DeviceTransitions.Poll): the store may run it again on a newer value, and
        // it runs once more here on the value the winning update saw, to name the step.
        var change = await store.UpdateAsync(hash, a => DeviceTransitions.Poll(a, context.Client.ClientId, now).Next, ct);
        var step = change is null ? DevicePollStep.Unknown : DeviceTransitions.Poll(change.Before, context.Client.ClientId, now).Step;
        var before = change?.Before!;

        return step switch
        {
            DevicePollStep.Unknown => Invalid(null, "Unknown device code."),
            DevicePollStep.OtherClient => Invalid(null, $"The device code was issued to client {before.ClientId}."),
            DevicePollStep.Spent => Invalid(before.UserId, before.Status == DeviceStatus.Redeemed
                ? "The device code was already exchanged for tokens." : "The device code expired."),
            DevicePollStep.Expired => new GrantOutcome.Refused(new OAuthError(403, "expired_token", "The device code has expired.")) { UserId = before.UserId },
            DevicePollStep.Denied => Denied(before.UserId, before.DenialDetail, before.DenialDescription),
            DevicePollStep.SlowDown => new GrantOutcome.Refused(new OAuthError(429, "slow_down",
                $"You are polling faster than the specified interval of {before.IntervalSeconds} seconds.")),
            DevicePollStep.Pending => Pending(),
            DevicePollStep.PollProvider => await PollProviderAsync(context, before, hash, ct),
            DevicePollStep.Approved => await GrantAsync(context, before, before.UserId!, before.SignedInConnection!, ct),
            _ => throw new InvalidOperationException("Unexpected step."),
        };
    }

    /// <summary>Polls the provider once for a brokered authorization and maps its answer to Auth0's.</summary>
    private async Task<GrantOutcome> PollProviderAsync(GrantContext context, DeviceAuthorization authorization, string hash, CancellationToken ct)
    {
        var definition = authorization.Connection is { } name ? await config.GetConnectionByNameAsync(name, ct) : null;
        if (definition is null || !definition.EnabledClients.Contains(context.Client.ClientId)
            || connections.Get(definition) is not IDeviceCodeConnection live)
        {
            await FinishAsync(hash, DeviceStatus.Denied, "The connection was deleted or disabled for the client.", ct);
            return Denied(null, "The connection was deleted or disabled for the client.");
        }
        var loginContext = new LoginContext(context.Client.ClientId, context.Request.Ip, context.Request.UserAgent, Secrets.RandomHex(16));
        UpstreamDevicePoll answer;
        try
        {
            answer = await live.PollDeviceCodeAsync(authorization.Upstream!.DeviceCode, loginContext, ct);
        }
        catch (UpstreamUnavailableException unavailable)
        {
            // An outage is not the user's answer: the app keeps polling and the provider is asked again next interval.
            return Pending() with { Detail = unavailable.Detail };
        }
        switch (answer)
        {
            case UpstreamDevicePoll.Pending:
                return Pending();
            case UpstreamDevicePoll.SlowDown:
                // The provider wants more time between polls (RFC 8628 §3.5: add 5 seconds); the app's own pace is unchanged.
                var slowed = time.GetUtcNow();
                await store.UpdateAsync(hash, a => a.Upstream is { } up
                    ? a with { Upstream = up with { IntervalSeconds = up.IntervalSeconds + 5, NextPollAt = slowed.AddSeconds(up.IntervalSeconds + 5) } }
                    : a, ct);
                return Pending();
            case UpstreamDevicePoll.Expired:
                await FinishAsync(hash, DeviceStatus.ExpiryAnswered, null, ct);
                return new GrantOutcome.Refused(new OAuthError(403, "expired_token", "The device code has expired.")) { Detail = "expired at the provider" };
            case UpstreamDevicePoll.Declined declined:
                await FinishAsync(hash, DeviceStatus.Denied, declined.Detail, ct);
                return Denied(null, declined.Detail);
            case UpstreamDevicePoll.Denied denied:
                await FinishAsync(hash, DeviceStatus.Denied, denied.Detail, ct);
                return new GrantOutcome.Refused(new OAuthError(403, denied.Error, denied.Description)) { Detail = denied.Detail };
            case UpstreamDevicePoll.Authenticated authenticated:
                if (authorization.MfaContinuation is { } binding && MfaAccountMatch.Mismatch(binding, definition.Id, authenticated.Identity) is { } mismatch)
                {
                    // Another account approved a device flow started from an mfa_token: nothing is provisioned, no tokens.
                    MfaAccountMismatch(log, binding.ClientId, definition.Name, mismatch);
                    await FinishAsync(hash, DeviceStatus.Denied, "mfa_token continuation: " + mismatch, ct);
                    return new GrantOutcome.Refused(OAuthError.AccessDenied(MfaAccountMismatchDescription)) { Detail = "mfa_token continuation: " + mismatch };
                }
                return await ProvisionAsync(context, definition, authenticated.Identity, hash, ct);
            default:
                throw new InvalidOperationException("Unexpected provider answer.");
        }
    }

    private async Task<GrantOutcome> ProvisionAsync(GrantContext context, Connection definition, UpstreamIdentity identity, string hash, CancellationToken ct)
    {
        switch (await provisioner.ProvisionAsync(definition, identity, context.Request.Ip, ct))
        {
            case ProvisioningResult.Provisioned { User.Blocked: true } blocked:
                await FinishAsync(hash, DeviceStatus.Denied, "blocked in Gatehouse", ct);
                return Denied(blocked.User.UserId, "blocked in Gatehouse") with { Error = OAuthError.AccessDenied("user is blocked") };
            case ProvisioningResult.Provisioned provisioned:
                var user = provisioned.LoginRecorded ? provisioned.User : await logins.RecordAsync(provisioned.User, context.Request.Ip, ct);
                // Only the one poll that moves Pending to Redeemed issues tokens.
                var redeemed = await store.UpdateAsync(hash, a => a.Status != DeviceStatus.Pending
                    ? a
                    : a with { Status = DeviceStatus.Redeemed, UserId = user.UserId, SignedInConnection = definition.Name }, ct);
                if (redeemed is not { Before.Status: DeviceStatus.Pending, After.Status: DeviceStatus.Redeemed })
                    return Invalid(user.UserId, "The device code was already exchanged for tokens.");
                return await GrantAsync(context, redeemed.Before, user.UserId, definition.Name, ct, time.GetUtcNow());
            case ProvisioningResult.Refused refused:
                await FinishAsync(hash, DeviceStatus.Denied, refused.Denied.Detail ?? refused.Denied.Description, ct);
                return new GrantOutcome.Refused(new OAuthError(403, refused.Denied.Error, refused.Denied.Description)) { Detail = refused.Denied.Detail };
            default:
                throw new InvalidOperationException("Unexpected provisioning result.");
        }
    }

    private async Task<GrantOutcome> GrantAsync(GrantContext context, DeviceAuthorization authorization, string userId, string connectionName,
        CancellationToken ct, DateTimeOffset? authTime = null)
    {
        var user = await users.GetUserAsync(userId, ct);
        if (user is null || user.Blocked)
            return Denied(userId, user is null ? "The user no longer exists." : "The user is blocked.");
        var connection = await config.GetConnectionByNameAsync(connectionName, ct);
        if (connection is null || !connection.EnabledClients.Contains(context.Client.ClientId))
            return Denied(userId, "The connection was deleted or disabled for the client.");
        var (audience, audienceError) = await audiences.ResolveAsync(authorization.Audience, context.Tenant, ct);
        if (audienceError is not null)
            return new GrantOutcome.Refused(audienceError) { UserId = userId };

        var requested = authorization.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        var scopes = ScopePolicy.ForUser(requested, audience!.Api, widenOpenId: false);
        return new GrantOutcome.Granted(new TokenGrant(
            GrantTypeClaim: null,
            Subject: user.UserId,
            User: user,
            Audience: audience.Identifier,
            AccessTokenLifetimeSeconds: audience.Api?.TokenLifetime ?? options.DefaultAccessTokenLifetimeSeconds,
            Scopes: scopes.Granted,
            ReturnScope: scopes.DiffersFromRequest,
            IssueRefreshToken: scopes.IssueRefreshToken,
            Connection: connection)
        {
            OriginGrantType = GrantType,
            AuthTime = authorization.AuthTime ?? authTime,
            SessionId = authorization.SessionId,
        });
    }

    /// <summary>What the app hears when another account approved a device flow that continues an mfa_token.</summary>
    public const string MfaAccountMismatchDescription =
        "The account that signed in is not the one the mfa_token was issued for. Sign in with the same account.";

    [LoggerMessage(EventId = 1853, EventName = "MfaAccountMismatch", Level = LogLevel.Warning,
        Message = "A device sign-in continuing an mfa_token of client {ClientId} at connection {Connection} was refused: {Reason}")]
    private static partial void MfaAccountMismatch(ILogger log, string clientId, string connection, string reason);

    private Task<DeviceAuthorizationChange?> FinishAsync(string hash, DeviceStatus status, string? detail, CancellationToken ct) =>
        store.UpdateAsync(hash, a => a.Status == DeviceStatus.Pending ? a with { Status = status, DenialDetail = detail } : a, ct);

    private static GrantOutcome.Refused Pending() =>
        new(new OAuthError(403, "authorization_pending", "User has yet to authorize device code."));

    private static GrantOutcome.Refused Denied(string? userId, string? detail, string? description = null) =>
        new(OAuthError.AccessDenied(description ?? "User cancelled the confirmation prompt.")) { UserId = userId, Detail = detail };

    /// <summary>One answer for a code that cannot be used; the reason goes to the audit log only.</summary>
    private static GrantOutcome.Refused Invalid(string? userId, string detail) =>
        new(new OAuthError(403, "invalid_grant", "Invalid or expired device code.")) { UserId = userId, Detail = detail };
}

using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;

namespace Gatehouse.Core.Devices;

/// <summary>The answer of <c>POST /oauth/device/code</c> (RFC 8628 §3.2, Auth0's six fields).</summary>
/// <param name="VerificationUriComplete">Null when the provider runs the flow: Azure AD's page takes no code in its URL.</param>
public sealed record DeviceAuthorizationResponse(
    string DeviceCode, string UserCode, string VerificationUri, string? VerificationUriComplete, int ExpiresIn, int Interval);

/// <summary>A started device authorization, or why not (with an audit-only detail).</summary>
public sealed record DeviceStart(DeviceAuthorizationResponse? Response, OAuthError? Error, string? Detail = null);

/// <summary>
/// The device flow's state machine (docs/device-flow.md): starts authorizations (at Gatehouse's <c>/activate</c>, or at
/// the provider for a connection that brokers its own device code flow), lets the activation page find, approve and
/// deny them. The grant handler (<see cref="DeviceCodeGrantHandler"/>) polls them. Device codes are 256 random bits of
/// which only the SHA-256 is kept.
/// </summary>
public sealed class DeviceAuthorizations(
    IDeviceAuthorizationStore store, ConfigCache config, ConnectionCache connections, AudienceResolver audiences,
    TenantIssuer issuer, DeviceOptions options, TimeProvider time)
{
    public const string ActivatePath = "activate";

    public IDeviceAuthorizationStore Store => store;

    public DeviceOptions Options => options;

    /// <summary>
    /// Starts a device authorization for <paramref name="client"/>. The one entry point for <c>/oauth/device/code</c> and
    /// for the <c>mfa_token</c> continuation: <paramref name="connection"/> pre-sets the connection (a connection that
    /// brokers the provider's device code flow starts that flow), <paramref name="loginHint"/> pre-fills the username
    /// on the login page. Checks the client may use the grant, the connection is enabled for it and the audience exists.
    /// <paramref name="continuation"/> binds the authorization to the account an <c>mfa_token</c> was issued for.
    /// </summary>
    /// <exception cref="UpstreamUnavailableException">The provider of a brokered flow is down.</exception>
    public async Task<DeviceStart> StartAsync(Client client, Connection? connection, string? loginHint, string? scope, string? audience,
        LoginContext context, CancellationToken ct, MfaBinding? continuation = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(context);
        if (!client.GrantTypes.Contains(GrantTypes.DeviceCode))
            return new DeviceStart(null, OAuthError.UnauthorizedClient(GrantTypes.DeviceCode));
        if (connection is not null && !connection.EnabledClients.Contains(client.ClientId))
            return new DeviceStart(null, OAuthError.ConnectionDisabled());
        var tenant = await config.GetTenantSettingsAsync(ct) ?? new TenantSettings("", "", "", null, 0);
        var (_, audienceError) = await audiences.ResolveAsync(audience, tenant, ct);
        if (audienceError is not null)
            return new DeviceStart(null, audienceError);

        var deviceCode = Secrets.RandomToken(32);
        var now = time.GetUtcNow();
        var requestedScope = string.IsNullOrWhiteSpace(scope) ? "openid" : scope.Trim();
        var pending = new DeviceAuthorization(Secrets.HashToken(deviceCode), "", client.ClientId, connection?.Name, loginHint,
            requestedScope, audience, now.AddSeconds(options.CodeLifetimeSeconds), options.IntervalSeconds) { MfaContinuation = continuation };

        if (connection is not null && connections.Get(connection) is IDeviceCodeConnection { DeviceCodeAtProvider: true } brokered)
            return await StartAtProviderAsync(brokered, pending, deviceCode, context, ct);

        while (true)
        {
            // A collision with a live code (1 in 2.5e10 per live code) draws again rather than sharing a code.
            var authorization = pending with { UserCode = UserCodes.New() };
            if (!await store.TryAddAsync(authorization, ct))
                continue;
            var verification = issuer.Issuer + ActivatePath;
            return new DeviceStart(new DeviceAuthorizationResponse(deviceCode, authorization.UserCode, verification,
                verification + "?user_code=" + Uri.EscapeDataString(authorization.UserCode), options.CodeLifetimeSeconds, options.IntervalSeconds), null);
        }
    }

    private async Task<DeviceStart> StartAtProviderAsync(IDeviceCodeConnection connection, DeviceAuthorization pending, string deviceCode,
        LoginContext context, CancellationToken ct)
    {
        switch (await connection.StartDeviceCodeAsync(context, ct))
        {
            case UpstreamDeviceStart.Started started:
                // Never promise more than the provider gives, never ask the app to poll faster than the provider allows.
                var lifetime = Math.Min(options.CodeLifetimeSeconds, Math.Max(1, started.ExpiresIn));
                var interval = Math.Max(options.IntervalSeconds, started.Interval);
                var now = time.GetUtcNow();
                await store.TryAddAsync(pending with
                {
                    UserCode = started.UserCode,
                    ExpiresAt = now.AddSeconds(lifetime),
                    IntervalSeconds = interval,
                    Upstream = new UpstreamDeviceFlow(started.DeviceCode, Math.Max(1, started.Interval), now),
                }, ct);
                return new DeviceStart(new DeviceAuthorizationResponse(deviceCode, started.UserCode, started.VerificationUri.AbsoluteUri, null,
                    lifetime, interval), null);
            case UpstreamDeviceStart.Denied denied:
                return new DeviceStart(null, new OAuthError(400, denied.Error, denied.Description), denied.Detail);
            default:
                throw new InvalidOperationException("Unexpected provider answer.");
        }
    }

    /// <summary>The live, pending authorization a user typed the code of on <c>/activate</c>; null for any other.</summary>
    public async Task<DeviceAuthorization?> FindForActivationAsync(string? typed, CancellationToken ct) =>
        UserCodes.Normalize(typed) is { } code && await store.FindByUserCodeAsync(code, ct) is { Status: DeviceStatus.Pending, Upstream: null } found ? found : null;

    /// <summary>The authorization behind an activation in progress (the login transaction names its hash).</summary>
    public Task<DeviceAuthorization?> FindAsync(string deviceCodeHash, CancellationToken ct) => store.FindAsync(deviceCodeHash, ct);

    /// <summary>The user signed in for this device: its next poll gets tokens. False when it is no longer pending or has expired.</summary>
    public async Task<bool> ApproveAsync(string deviceCodeHash, string userId, string connectionName, string? sessionId, DateTimeOffset authTime,
        CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var change = await store.UpdateAsync(deviceCodeHash, a => DeviceTransitions.Approve(a, userId, connectionName, sessionId, authTime, now), ct);
        return await ForgetIfDecidedAsync(change, DeviceStatus.Approved, ct);
    }

    /// <summary>
    /// The user cancelled or the sign-in was refused: the next poll gets <c>access_denied</c>, described by
    /// <paramref name="description"/> when the app should hear why (an access rule), else as a cancellation.
    /// </summary>
    public async Task<bool> DenyAsync(string deviceCodeHash, string detail, CancellationToken ct, string? description = null)
    {
        var change = await store.UpdateAsync(deviceCodeHash, a => DeviceTransitions.Deny(a, detail, description), ct);
        return await ForgetIfDecidedAsync(change, DeviceStatus.Denied, ct);
    }

    /// <summary>True when this update moved the authorization from pending to <paramref name="decided"/>: its user code is spent.</summary>
    private async Task<bool> ForgetIfDecidedAsync(DeviceAuthorizationChange? change, DeviceStatus decided, CancellationToken ct)
    {
        if (change is not { Before.Status: DeviceStatus.Pending } || change.After.Status != decided)
            return false;
        await store.ForgetUserCodeAsync(change.Before.UserCode, ct);
        return true;
    }
}

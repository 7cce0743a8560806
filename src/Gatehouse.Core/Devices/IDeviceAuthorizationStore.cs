namespace Gatehouse.Core.Devices;

/// <summary>One update of a device authorization: the value the update saw and the value it wrote (the same when it changed nothing).</summary>
public sealed record DeviceAuthorizationChange(DeviceAuthorization Before, DeviceAuthorization After);

/// <summary>
/// Where device authorizations live (docs/device-flow.md): under the SHA-256 of the device code, remembered
/// <see cref="DeviceOptions.ReplayMemorySeconds"/> past their end so a late poll hears <c>expired_token</c> and a replay
/// <c>invalid_grant</c>; the user code finds the hash only while the code is live and until it is used.
/// <see cref="InMemoryDeviceAuthorizationStore"/> serves one node, the Redis store every node of a deployment.
/// </summary>
public interface IDeviceAuthorizationStore
{
    /// <summary>
    /// Saves a new authorization; false when its user code is already live (the caller draws another). A brokered one
    /// (<see cref="DeviceAuthorization.Upstream"/>) is not indexed: its user code is the provider's, entered at the provider.
    /// </summary>
    Task<bool> TryAddAsync(DeviceAuthorization authorization, CancellationToken ct);

    Task<DeviceAuthorization?> FindAsync(string deviceCodeHash, CancellationToken ct);

    /// <summary>The live authorization of a (normalized) user code, or null.</summary>
    Task<DeviceAuthorization?> FindByUserCodeAsync(string userCode, CancellationToken ct);

    /// <summary>
    /// Reads and replaces atomically: no other update lands between the read <paramref name="update"/> sees and the write
    /// of what it returns, on any node. <paramref name="update"/> must be a pure function of its argument: a store may run
    /// it again on the newer value when another node wrote first. Null when there is no such authorization.
    /// </summary>
    Task<DeviceAuthorizationChange?> UpdateAsync(string deviceCodeHash, Func<DeviceAuthorization, DeviceAuthorization> update, CancellationToken ct);

    /// <summary>Once a user code has been used for a sign-in it leaves the index: it cannot be confirmed twice.</summary>
    Task ForgetUserCodeAsync(string userCode, CancellationToken ct);
}

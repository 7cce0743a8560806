using Gatehouse.Core.Authorization;

namespace Gatehouse.Core.Devices;

/// <summary>
/// Device authorizations in memory, bounded and expiring like the authorization codes (<see cref="ExpiringMap{TValue}"/>):
/// under the device code's hash, remembered <see cref="DeviceOptions.ReplayMemorySeconds"/> past their end so a late
/// poll hears <c>expired_token</c> and a replay <c>invalid_grant</c>; the user code finds the hash only while it is live.
/// </summary>
public sealed class InMemoryDeviceAuthorizationStore(DeviceOptions options, TimeProvider time)
{
    private readonly ExpiringMap<DeviceAuthorization> _byHash = new(options.MaxAuthorizations, time);
    private readonly ExpiringMap<string> _byUserCode = new(options.MaxAuthorizations, time);

    /// <summary>Authorizations held now (flood tests read it).</summary>
    public int Count => _byHash.Count;

    /// <summary>
    /// Saves a new authorization; false when its user code is already live (the caller draws another). A brokered one
    /// (<see cref="DeviceAuthorization.Upstream"/>) is not indexed: its user code is the provider's, entered at the provider.
    /// </summary>
    public bool TryAdd(DeviceAuthorization authorization)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        if (authorization.Upstream is null)
            lock (_byUserCode)
            {
                if (_byUserCode.TryGet(authorization.UserCode, out _))
                    return false;
                _byUserCode.Set(authorization.UserCode, authorization.DeviceCodeHash, authorization.ExpiresAt);
            }
        _byHash.Set(authorization.DeviceCodeHash, authorization, Remembered(authorization));
        return true;
    }

    public DeviceAuthorization? Find(string deviceCodeHash) => _byHash.TryGet(deviceCodeHash, out var found) ? found : null;

    /// <summary>The live authorization of a (normalized) user code, or null.</summary>
    public DeviceAuthorization? FindByUserCode(string userCode) =>
        _byUserCode.TryGet(userCode, out var hash) && Find(hash) is { } found && found.ExpiresAt > time.GetUtcNow() ? found : null;

    /// <summary>Reads and replaces in one step; the update sees the stored value and returns the new one (or the same).</summary>
    public bool TryUpdate(string deviceCodeHash, Func<DeviceAuthorization, DeviceAuthorization> update, out DeviceAuthorization before, out DeviceAuthorization after)
    {
        ArgumentNullException.ThrowIfNull(update);
        DeviceAuthorization written = null!;
        var found = _byHash.TryUpdate(deviceCodeHash, current =>
        {
            written = update(current);
            return (written, Remembered(written));
        }, out before);
        after = written;
        return found;
    }

    /// <summary>Once a user code has been used for a sign-in it leaves the index: it cannot be confirmed twice.</summary>
    public void ForgetUserCode(string userCode) => _byUserCode.Remove(userCode);

    private DateTimeOffset Remembered(DeviceAuthorization authorization) => authorization.ExpiresAt.AddSeconds(options.ReplayMemorySeconds);
}

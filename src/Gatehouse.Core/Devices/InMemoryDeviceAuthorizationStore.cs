using Gatehouse.Core.Authorization;

namespace Gatehouse.Core.Devices;

/// <summary>
/// <see cref="IDeviceAuthorizationStore"/> in memory, for one node: bounded and expiring like the authorization codes
/// (<see cref="ExpiringMap{TValue}"/>), the oldest going first beyond <see cref="DeviceOptions.MaxAuthorizations"/>.
/// </summary>
public sealed class InMemoryDeviceAuthorizationStore(DeviceOptions options, TimeProvider time) : IDeviceAuthorizationStore
{
    private readonly ExpiringMap<DeviceAuthorization> _byHash = new(options.MaxAuthorizations, time);
    private readonly ExpiringMap<string> _byUserCode = new(options.MaxAuthorizations, time);

    /// <summary>Authorizations held now (flood tests read it).</summary>
    public int Count => _byHash.Count;

    public Task<bool> TryAddAsync(DeviceAuthorization authorization, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        if (authorization.Upstream is null)
            lock (_byUserCode)
            {
                if (_byUserCode.TryGet(authorization.UserCode, out _))
                    return Task.FromResult(false);
                _byUserCode.Set(authorization.UserCode, authorization.DeviceCodeHash, authorization.ExpiresAt);
            }
        _byHash.Set(authorization.DeviceCodeHash, authorization, Remembered(authorization));
        return Task.FromResult(true);
    }

    public Task<DeviceAuthorization?> FindAsync(string deviceCodeHash, CancellationToken ct) => Task.FromResult(Find(deviceCodeHash));

    public Task<DeviceAuthorization?> FindByUserCodeAsync(string userCode, CancellationToken ct) => Task.FromResult(
        _byUserCode.TryGet(userCode, out var hash) && Find(hash) is { } found && found.ExpiresAt > time.GetUtcNow() ? found : null);

    public Task<DeviceAuthorizationChange?> UpdateAsync(string deviceCodeHash, Func<DeviceAuthorization, DeviceAuthorization> update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        DeviceAuthorization written = null!;
        var found = _byHash.TryUpdate(deviceCodeHash, current =>
        {
            written = update(current);
            return (written, Remembered(written));
        }, out var before);
        return Task.FromResult(found ? new DeviceAuthorizationChange(before, written) : null);
    }

    public Task ForgetUserCodeAsync(string userCode, CancellationToken ct)
    {
        _byUserCode.Remove(userCode);
        return Task.CompletedTask;
    }

    private DeviceAuthorization? Find(string deviceCodeHash) => _byHash.TryGet(deviceCodeHash, out var found) ? found : null;

    private DateTimeOffset Remembered(DeviceAuthorization authorization) => authorization.ExpiresAt.AddSeconds(options.ReplayMemorySeconds);
}

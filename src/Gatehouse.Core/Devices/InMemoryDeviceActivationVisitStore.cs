using Gatehouse.Core.Authorization;

namespace Gatehouse.Core.Devices;

/// <summary><see cref="IDeviceActivationVisitStore"/> in memory, for one node: bounded like the authorizations, expiring.</summary>
public sealed class InMemoryDeviceActivationVisitStore(DeviceOptions options, TimeProvider time) : IDeviceActivationVisitStore
{
    private readonly ExpiringMap<DeviceActivationVisit> _visits = new(options.MaxAuthorizations, time);

    public Task SaveAsync(DeviceActivationVisit visit, DateTimeOffset expiresAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(visit);
        _visits.Set(visit.Id, visit, expiresAt);
        return Task.CompletedTask;
    }

    public Task<DeviceActivationVisit?> FindAsync(string id, CancellationToken ct) => Task.FromResult(_visits.TryGet(id, out var visit) ? visit : null);

    public Task<bool> TryCountAttemptAsync(string id, int max, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var counted = false;
        _visits.TryUpdate(id, v =>
        {
            counted = v.Attempts < max;
            return (counted ? v with { Attempts = v.Attempts + 1 } : v, expiresAt);
        }, out _);
        return Task.FromResult(counted);
    }

    public Task MatchAsync(string id, string deviceCodeHash, DateTimeOffset expiresAt, CancellationToken ct)
    {
        _visits.TryUpdate(id, v => (v with { MatchedHash = deviceCodeHash }, expiresAt), out _);
        return Task.CompletedTask;
    }

    public Task<bool> CloseAsync(string id, CancellationToken ct) => Task.FromResult(_visits.TryTake(id, out _));
}

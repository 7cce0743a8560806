namespace Gatehouse.Core.Devices;

/// <summary>One opening of <c>/activate</c>: the code it was opened with, the codes tried, the code it matched.</summary>
public sealed record DeviceActivationVisit(string Id, string? Prefilled, int Attempts, string? MatchedHash);

/// <summary>
/// Where the visits of <c>/activate</c> live, so a visit opened on one node is continued (and its attempts counted) on
/// any: <see cref="InMemoryDeviceActivationVisitStore"/> for one node, Redis for several. Every write keeps the visit
/// until <c>expiresAt</c>; each operation is atomic on its visit.
/// </summary>
public interface IDeviceActivationVisitStore
{
    Task SaveAsync(DeviceActivationVisit visit, DateTimeOffset expiresAt, CancellationToken ct);

    Task<DeviceActivationVisit?> FindAsync(string id, CancellationToken ct);

    /// <summary>Counts one code tried; false (and nothing counted) once <paramref name="max"/> were tried or the visit is gone.</summary>
    Task<bool> TryCountAttemptAsync(string id, int max, DateTimeOffset expiresAt, CancellationToken ct);

    /// <summary>Records the authorization the visit's code matched (nothing when the visit is gone).</summary>
    Task MatchAsync(string id, string deviceCodeHash, DateTimeOffset expiresAt, CancellationToken ct);

    /// <summary>Ends the visit; true for the one caller that ended it.</summary>
    Task<bool> CloseAsync(string id, CancellationToken ct);
}

using Gatehouse.Core.Devices;
using Gatehouse.Core.Security;

namespace Gatehouse.Server.Login;

/// <summary>
/// The visits of <c>/activate</c>, kept in <see cref="IDeviceActivationVisitStore"/> (Redis when several nodes run, so
/// the attempt cap holds whichever node a submit reaches), expiring with the codes' lifetime. A visit's id is 256
/// random bits and the anti-forgery token is bound to it; its attempt counter is what caps guessing per page.
/// </summary>
internal sealed class DeviceActivationVisits(IDeviceActivationVisitStore store, DeviceOptions options, TimeProvider time)
{
    public async Task<string> OpenAsync(string? prefilled, CancellationToken ct)
    {
        var visit = new DeviceActivationVisit(Secrets.RandomToken(32), prefilled, 0, null);
        await store.SaveAsync(visit, Expiry(), ct);
        return visit.Id;
    }

    public async Task<DeviceActivationVisit?> FindAsync(string? id, CancellationToken ct) =>
        id is { Length: > 0 and <= 128 } ? await store.FindAsync(id, ct) : null;

    /// <summary>Counts one code tried; false (and nothing counted) once <paramref name="max"/> were tried.</summary>
    public Task<bool> TryCountAttemptAsync(string id, int max, CancellationToken ct) => store.TryCountAttemptAsync(id, max, Expiry(), ct);

    public Task MatchAsync(string id, string deviceCodeHash, CancellationToken ct) => store.MatchAsync(id, deviceCodeHash, Expiry(), ct);

    /// <summary>Ends the visit; true for the one caller that ended it.</summary>
    public Task<bool> CloseAsync(string id, CancellationToken ct) => store.CloseAsync(id, ct);

    private DateTimeOffset Expiry() => time.GetUtcNow().AddSeconds(options.CodeLifetimeSeconds);
}

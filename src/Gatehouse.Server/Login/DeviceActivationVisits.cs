using Gatehouse.Core.Authorization;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Security;

namespace Gatehouse.Server.Login;

/// <summary>One opening of <c>/activate</c>: the code it was opened with, the codes tried, the code it matched.</summary>
internal sealed record DeviceActivationVisit(string Id, string? Prefilled, int Attempts, string? MatchedHash);

/// <summary>
/// The visits of <c>/activate</c>, in memory, bounded and expiring with the codes' lifetime. A visit's id is 256 random
/// bits and the anti-forgery token is bound to it; its attempt counter is what caps guessing per page.
/// </summary>
internal sealed class DeviceActivationVisits(DeviceOptions options, TimeProvider time)
{
    private readonly ExpiringMap<DeviceActivationVisit> _visits = new(options.MaxAuthorizations, time);

    public string Open(string? prefilled)
    {
        var visit = new DeviceActivationVisit(Secrets.RandomToken(32), prefilled, 0, null);
        _visits.Set(visit.Id, visit, time.GetUtcNow().AddSeconds(options.CodeLifetimeSeconds));
        return visit.Id;
    }

    public DeviceActivationVisit? Find(string? id) => id is { Length: > 0 and <= 128 } && _visits.TryGet(id, out var visit) ? visit : null;

    /// <summary>Counts one code tried; false (and nothing counted) once <paramref name="max"/> were tried.</summary>
    public bool TryCountAttempt(string id, int max)
    {
        var counted = false;
        _visits.TryUpdate(id, v =>
        {
            counted = v.Attempts < max;
            return (counted ? v with { Attempts = v.Attempts + 1 } : v, Expiry());
        }, out _);
        return counted;
    }

    public void Match(string id, string deviceCodeHash) =>
        _visits.TryUpdate(id, v => (v with { MatchedHash = deviceCodeHash }, Expiry()), out _);

    /// <summary>Ends the visit; true for the one caller that ended it.</summary>
    public bool Close(string id) => _visits.TryTake(id, out _);

    private DateTimeOffset Expiry() => time.GetUtcNow().AddSeconds(options.CodeLifetimeSeconds);
}

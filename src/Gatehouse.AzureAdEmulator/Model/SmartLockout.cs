using System.Collections.Concurrent;

namespace Gatehouse.AzureAd.Emulator.Model;

/// <summary>Smart lockout: after N wrong passwords the account is locked for a while (AADSTS50053).</summary>
internal sealed class SmartLockout(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.OrdinalIgnoreCase);

    public bool IsLocked(string userId)
    {
        return _states.TryGetValue(userId, out var s) && s.LockedUntil > time.GetUtcNow();
    }

    /// <summary>Counts a wrong password; locks the account when the threshold is reached.</summary>
    public void RecordFailure(string userId, EmulatorSettings settings)
    {
        var now = time.GetUtcNow();
        _states.AddOrUpdate(
            userId,
            _ => Next(new State(0, DateTimeOffset.MinValue), now, settings),
            (_, s) => Next(s, now, settings));
    }

    public void RecordSuccess(string userId)
    {
        if (_states.TryGetValue(userId, out var s) && s.Failures > 0) _states.TryRemove(userId, out _);
    }

    public void Reset(string userId) => _states.TryRemove(userId, out _);

    public void Clear() => _states.Clear();

    private static State Next(State s, DateTimeOffset now, EmulatorSettings settings)
    {
        var failures = s.LockedUntil > now ? s.Failures : s.Failures + 1;
        return failures >= settings.LockoutThreshold
            ? new State(0, now.AddSeconds(settings.LockoutDurationSeconds))
            : new State(failures, s.LockedUntil);
    }

    private sealed record State(int Failures, DateTimeOffset LockedUntil);
}

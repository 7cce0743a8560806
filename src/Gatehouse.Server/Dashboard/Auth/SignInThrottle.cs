using System.Collections.Concurrent;

namespace Gatehouse.Server.Dashboard.Auth;

/// <summary>
/// Brute-force protection for the dashboard sign-in form: after <see cref="MaxFailures"/> failures for one
/// (email, IP) within <see cref="Window"/>, that pair is refused for <see cref="Lockout"/>, even with the right
/// password. In memory: a restart forgets, which only ever helps the administrator.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);
    private const int MaxTracked = 10_000;

    private readonly ConcurrentDictionary<(string Email, string Ip), Entry> entries = new();

    private sealed record Entry(int Failures, DateTimeOffset FirstFailure, DateTimeOffset? LockedUntil);

    public bool IsLockedOut((string Email, string Ip) key) =>
        entries.TryGetValue(key, out var entry) && entry.LockedUntil is { } until && until > time.GetUtcNow();

    /// <summary>Counts a failure; true when this failure locks the pair out.</summary>
    public bool Failure((string Email, string Ip) key)
    {
        var now = time.GetUtcNow();
        if (entries.Count > MaxTracked)
            Prune(now);
        var entry = entries.AddOrUpdate(key,
            _ => new Entry(1, now, null),
            (_, e) => e.FirstFailure + Window < now || (e.LockedUntil is { } u && u <= now) ? new Entry(1, now, null) : e with { Failures = e.Failures + 1 });
        if (entry.Failures < MaxFailures)
            return false;
        entries[key] = entry with { LockedUntil = now + Lockout };
        return true;
    }

    public void Success((string Email, string Ip) key) => entries.TryRemove(key, out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in entries)
        {
            if (entry.FirstFailure + Window < now && (entry.LockedUntil is null || entry.LockedUntil <= now))
                entries.TryRemove(key, out _);
        }
    }
}

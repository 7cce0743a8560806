using System.Collections.Concurrent;

namespace Gatehouse.Server.Dashboard.Auth;

/// <summary>
/// Brute-force protection for the dashboard sign-in form, counted on the email whether or not an administrator has it
/// (so a refusal says nothing about which emails exist): after <see cref="MaxFailures"/> failures for one (email,
/// address) within <see cref="Window"/>, or <see cref="MaxAccountFailures"/> for one email from any addresses (a
/// guess spread over many addresses), that pair or that email is refused for <see cref="Lockout"/>, even with the
/// right password. Addresses are <see cref="Core.Security.ClientAddresses"/> keys (IPv6 per /64). In memory: a
/// restart forgets, which only ever helps the administrator. The per-address rate limit
/// (<see cref="RateLimiting.RateLimitOptions.DashboardSignIn"/>) bounds the guesses, and the hashing, before this.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public const int MaxAccountFailures = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);
    /// <summary>Entries kept at most (a flood from many addresses must not grow memory); <see cref="Tracked"/> says how many there are.</summary>
    public const int MaxTracked = 10_000;

    // Address "" (never a real key) counts the email's failures from every address.
    private const string AnyAddress = "";

    private readonly ConcurrentDictionary<(string Email, string Address), Entry> entries = new();

    private sealed record Entry(int Failures, DateTimeOffset FirstFailure, DateTimeOffset? LockedUntil);

    /// <summary>How many (email, address) and email entries are kept now.</summary>
    public int Tracked => entries.Count;

    public bool IsLockedOut(string email, string address) => IsLocked((email, address)) || IsLocked((email, AnyAddress));

    /// <summary>Counts a failure for the pair and for the email; true when this failure locks either out.</summary>
    public bool Failure(string email, string address)
    {
        var now = time.GetUtcNow();
        if (entries.Count > MaxTracked)
            Prune(now);
        var pair = Count((email, address), MaxFailures, now);
        var account = Count((email, AnyAddress), MaxAccountFailures, now);
        return pair || account;
    }

    public void Success(string email, string address)
    {
        entries.TryRemove((email, address), out _);
        entries.TryRemove((email, AnyAddress), out _);
    }

    private bool IsLocked((string, string) key) =>
        entries.TryGetValue(key, out var entry) && entry.LockedUntil is { } until && until > time.GetUtcNow();

    private bool Count((string, string) key, int max, DateTimeOffset now)
    {
        var entry = entries.AddOrUpdate(key,
            _ => new Entry(1, now, null),
            (_, e) => e.FirstFailure + Window < now || (e.LockedUntil is { } u && u <= now) ? new Entry(1, now, null) : e with { Failures = e.Failures + 1 });
        if (entry.Failures < max)
            return false;
        entries[key] = entry with { LockedUntil = now + Lockout };
        return true;
    }

    /// <summary>
    /// Expired entries go first. A flood of failures from many addresses within the window can still leave too many:
    /// then counts that lock nothing go, oldest first, then locks of one (email, address) pair, and only last the
    /// email-wide locks, the ones that protect an administrator from a spread-out guess, nearest their end first.
    /// </summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in entries)
        {
            if (entry.FirstFailure + Window < now && (entry.LockedUntil is null || entry.LockedUntil <= now))
                entries.TryRemove(key, out _);
        }
        var excess = entries.Count - (MaxTracked * 9 / 10);
        if (excess <= 0)
            return;
        var victims = entries
            .OrderBy(e => e.Value.LockedUntil is { } until && until > now ? (e.Key.Address == AnyAddress ? 2 : 1) : 0)
            .ThenBy(e => e.Value.LockedUntil ?? e.Value.FirstFailure)
            .Take(excess)
            .Select(e => e.Key)
            .ToList();
        foreach (var key in victims)
            entries.TryRemove(key, out _);
    }
}

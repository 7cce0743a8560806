using Gatehouse.Core.Protection;
using Gatehouse.Core.Security;

namespace Gatehouse.Server.Dashboard.Auth;

/// <summary>
/// Brute-force protection for the dashboard sign-in form, counted on the email whether or not an administrator has it
/// (so a refusal says nothing about which emails exist): after <see cref="MaxFailures"/> failures for one (email,
/// address), each within <see cref="Window"/> of the one before, or <see cref="MaxAccountFailures"/> for one email from
/// any addresses (a guess spread over many addresses), that pair or that email is refused for <see cref="Lockout"/>,
/// even with the right password. Addresses are <see cref="ClientAddresses"/> keys (IPv6 per /64). The counts are the
/// shared attack counters (<see cref="IAttackCounters"/>: Redis when several nodes run), so the limits hold across nodes;
/// a lock is a block there, never dropped to make room for a flood of made-up emails. Keys hold hashes, never an email.
/// The per-address rate limit (<see cref="RateLimiting.RateLimitOptions.DashboardSignIn"/>) bounds the guesses, and the
/// hashing, before this.
/// </summary>
public sealed class SignInThrottle(IAttackCounters counters)
{
    public const int MaxFailures = 5;
    public const int MaxAccountFailures = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    // Address "" (never a real key) counts the email's failures from every address.
    private const string AnyAddress = "";

    public async Task<bool> IsLockedOutAsync(string email, string address, CancellationToken ct) =>
        (await counters.GetAsync(LockKey(email, address), ct)).Count > 0 || (await counters.GetAsync(LockKey(email, AnyAddress), ct)).Count > 0;

    /// <summary>Counts a failure for the pair and for the email; true when this failure locks either out.</summary>
    public async Task<bool> FailureAsync(string email, string address, CancellationToken ct)
    {
        var pair = await CountAsync(email, address, MaxFailures, ct);
        var account = await CountAsync(email, AnyAddress, MaxAccountFailures, ct);
        return pair || account;
    }

    public async Task SuccessAsync(string email, string address, CancellationToken ct)
    {
        await counters.ResetAsync(CountKey(email, address), ct);
        await counters.ResetAsync(CountKey(email, AnyAddress), ct);
    }

    /// <summary>One failure more; at <paramref name="max"/> the count becomes a lock for <see cref="Lockout"/> and starts again.</summary>
    private async Task<bool> CountAsync(string email, string address, int max, CancellationToken ct)
    {
        var count = await counters.IncrementAsync(CountKey(email, address), Window, IAttackCounters.NeverBlocks, ct);
        if (count.Count < max)
            return false;
        await counters.IncrementAsync(LockKey(email, address), Lockout, blockAt: 1, ct);
        await counters.ResetAsync(CountKey(email, address), ct);
        return true;
    }

    private static string CountKey(string email, string address) => "dsf|" + Secrets.HashToken(email + "\n" + address);

    private static string LockKey(string email, string address) => "dsl|" + Secrets.HashToken(email + "\n" + address);
}

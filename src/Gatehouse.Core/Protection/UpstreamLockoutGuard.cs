using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Protection;

/// <summary>
/// Keeps an attacker from locking a real user out at the identity provider (Azure AD's smart lockout) through
/// Gatehouse, where every attempt reaches the provider from Gatehouse's own address. Wrong passwords are counted per
/// upstream account, across every connection to its directory: by the username typed at each name of the directory,
/// and by the account id once a login told it (so the user's other spellings meet there). Addresses where the account
/// signed in lately (IPv6 per /64) are familiar and counted apart, as Azure AD's smart lockout does:
/// <list type="bullet">
/// <item>unfamiliar addresses are blocked at <see cref="ProtectionOptions.UpstreamLockoutThreshold"/> for
/// <see cref="ProtectionOptions.UpstreamLockoutDuration"/>, doubling with each further wrong password (capped at
/// <see cref="ProtectionOptions.UpstreamLockoutMaxDuration"/>), and stop at
/// <see cref="ProtectionOptions.UpstreamUnfamiliarLimit"/> until a successful login, an administrator or
/// <see cref="ProtectionOptions.BlockDuration"/>;</item>
/// <item>every address stops when the account's wrong passwords reach <see cref="ProtectionOptions.UpstreamLockoutLimit"/>,
/// below the provider's threshold: the provider never sees more between two successes.</item>
/// </list>
/// A success starts the counts again (the provider does too), except a timed unfamiliar block, which holds until it
/// ends. The counts are never dropped for room (<see cref="IAttackCounters.IncrementAsync"/>): only wrong passwords of
/// real accounts create them.
/// </summary>
public sealed class UpstreamLockoutGuard(IAttackCounters counters, TimeProvider time, ProtectionOptions options)
{
    /// <summary>Whether the guard runs for this attempt at all.</summary>
    public bool Applies(LoginAttempt attempt) => attempt.Upstream is not null && options.UpstreamLockoutThreshold > 0;

    /// <summary>True when the attempt must not reach the provider.</summary>
    public async Task<bool> IsBlockedAsync(LoginAttempt attempt, CancellationToken ct)
    {
        var familiar = await IsFamiliarAsync(attempt, ct);
        foreach (var account in await AccountsAsync(attempt, ct))
        {
            if (await StateAsync(account, ct) is var state && (familiar ? state.Total >= options.UpstreamLockoutLimit : BlocksUnfamiliar(state)))
                return true;
        }
        return false;
    }

    /// <summary>Counts a wrong password the provider counted; the account keys it was counted on, and whether it tripped the first block now.</summary>
    public async Task<(IReadOnlyList<string> Accounts, bool Tripped)> RecordFailureAsync(LoginAttempt attempt, CancellationToken ct)
    {
        var familiar = await IsFamiliarAsync(attempt, ct);
        var accounts = await AccountsAsync(attempt, ct);
        var tripped = false;
        foreach (var account in accounts)
        {
            var count = await counters.IncrementAsync(ProtectionKeys.UpstreamCount(account, familiar), options.BlockDuration, blockAt: 1, ct);
            tripped |= !familiar && count.Count == options.UpstreamLockoutThreshold;
        }
        return (accounts, tripped);
    }

    /// <summary>
    /// A successful login: the address becomes familiar, the username is linked to the account the provider named,
    /// and the counts start again, except a timed unfamiliar block.
    /// </summary>
    public async Task RecordSuccessAsync(LoginAttempt attempt, User? user, CancellationToken ct)
    {
        var upstream = attempt.Upstream!;
        if (user is not null && upstream.UpstreamAccountOf(user) is { } known)
            await counters.AddMemberAsync(ProtectionKeys.UpstreamLinks(attempt.Identifier), Link(known), options.BlockDuration, ct);
        foreach (var account in await AccountsAsync(attempt, ct))
        {
            if (attempt.Ip is { } ip)
                await counters.AddMemberAsync(ProtectionKeys.FamiliarAddresses(account), ProtectionKeys.Address(ip), options.FamiliarLocationDuration, ct);
            await counters.ResetAsync(ProtectionKeys.UpstreamCount(account, familiar: true), ct);
            var state = await StateAsync(account, ct);
            if (!TimedBlockRuns(state))
                await counters.ResetAsync(ProtectionKeys.UpstreamCount(account, familiar: false), ct);
        }
    }

    /// <summary>For the Management API: whether an account key (from the block index) blocks unfamiliar addresses now.</summary>
    public async Task<bool> IsListedBlockAsync(string account, CancellationToken ct) => BlocksUnfamiliar(await StateAsync(account, ct));

    /// <summary>Lifts an account's block: both counts start again.</summary>
    public async Task UnblockAsync(string account, CancellationToken ct)
    {
        await counters.ResetAsync(ProtectionKeys.UpstreamCount(account, familiar: false), ct);
        await counters.ResetAsync(ProtectionKeys.UpstreamCount(account, familiar: true), ct);
    }

    private readonly record struct State(AttackCount Unfamiliar, long Familiar)
    {
        public long Total => Unfamiliar.Count + Familiar;
    }

    private async Task<State> StateAsync(string account, CancellationToken ct) =>
        new(await counters.GetAsync(ProtectionKeys.UpstreamCount(account, familiar: false), ct),
            (await counters.GetAsync(ProtectionKeys.UpstreamCount(account, familiar: true), ct)).Count);

    private bool BlocksUnfamiliar(State state) =>
        state.Total >= options.UpstreamLockoutLimit || state.Unfamiliar.Count >= options.UpstreamUnfamiliarLimit || TimedBlockRuns(state);

    private bool TimedBlockRuns(State state) =>
        state.Unfamiliar is { LastAt: { } last, Count: var count }
        && count >= options.UpstreamLockoutThreshold && count < options.UpstreamUnfamiliarLimit
        && time.GetUtcNow() < last + BlockLength(count - options.UpstreamLockoutThreshold);

    /// <summary>Azure AD's schedule: a minute, then doubling with each wrong password after a block, capped.</summary>
    private TimeSpan BlockLength(long repeats)
    {
        var length = options.UpstreamLockoutDuration;
        for (var i = 0; i < repeats && length < options.UpstreamLockoutMaxDuration; i++)
            length *= 2;
        return length < options.UpstreamLockoutMaxDuration ? length : options.UpstreamLockoutMaxDuration;
    }

    /// <summary>The attempt's address is one where one of its accounts signed in lately.</summary>
    private async Task<bool> IsFamiliarAsync(LoginAttempt attempt, CancellationToken ct)
    {
        if (attempt.Ip is not { } ip)
            return false;
        var address = ProtectionKeys.Address(ip);
        foreach (var account in await AccountsAsync(attempt, ct))
        {
            if ((await counters.GetMembersAsync(ProtectionKeys.FamiliarAddresses(account), ct)).Contains(address, StringComparer.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The keys of the account an attempt names: the username at each name of the directory (any directory when the
    /// connection cannot name it), and the accounts this username signed in as at that directory.
    /// </summary>
    private async Task<IReadOnlyList<string>> AccountsAsync(LoginAttempt attempt, CancellationToken ct)
    {
        var directories = attempt.Upstream!.UpstreamDirectories();
        List<string> accounts = directories.Count == 0
            ? [ProtectionKeys.UpstreamAccount(null, attempt.Identifier)]
            : [.. directories.Select(d => ProtectionKeys.UpstreamAccount(d, attempt.Identifier))];
        foreach (var member in await counters.GetMembersAsync(ProtectionKeys.UpstreamLinks(attempt.Identifier), ct))
        {
            if (Unlink(member) is { } linked && (directories.Count == 0 || directories.Contains(linked.Directory, StringComparer.Ordinal)))
                accounts.Add(ProtectionKeys.UpstreamAccount(linked));
        }
        return accounts;
    }

    private static string Link(UpstreamAccount account) => account.Directory + "/" + account.Id;

    private static UpstreamAccount? Unlink(string member) =>
        member.Split('/', 2) is [var directory, var id] ? new UpstreamAccount(directory, id) : null;
}

using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Protection;

/// <summary>
/// Brute-force protection: consecutive failed logins per identifier + address (or per identifier, by mode) on a
/// connection, and for connections whose provider locks accounts out the <see cref="UpstreamLockoutGuard"/>. A block
/// holds while its count is at the threshold; it lifts after <see cref="ProtectionOptions.BlockDuration"/> without
/// failures, when an administrator lifts it, when the threshold is raised above the count, on a successful login
/// before it tripped, and for database users when the password changed after the last failure.
/// </summary>
public sealed class BruteForceCounter(
    AttackProtectionSettingsService settings, IAttackCounters counters, UpstreamLockoutGuard guard,
    IConnectionStore connections, IUserStore users, ProtectionOptions options)
{
    /// <summary>A counter that reached its threshold with this failure (the moment to log limit_wc).</summary>
    public sealed record Trip(BlockEntry Entry, long Count, int Threshold, bool Blocks);

    /// <summary>True when the attempt must be refused without checking the password.</summary>
    public async Task<bool> IsBlockedAsync(LoginAttempt attempt, CancellationToken ct)
    {
        var bruteForce = await settings.BruteForceAsync(ct);
        if (!Applies(bruteForce, attempt) || !bruteForce.Blocks)
            return false;
        var entry = Entry(bruteForce, attempt);
        var key = entry.CounterKey(attempt.Identifier);
        var count = await counters.GetAsync(key, ct);
        if (count.Count >= bruteForce.MaxAttempts)
        {
            if (!await PasswordChangedSinceAsync(attempt.Identifier, entry, count, ct))
                return true;
            await counters.ResetAsync(key, ct);
        }
        return guard.Applies(attempt) && await guard.IsBlockedAsync(attempt, ct);
    }

    /// <summary>Counts a failed login; <paramref name="upstreamCounted"/> when the provider counted it toward its own lockout.</summary>
    public async Task<IReadOnlyList<Trip>> RecordFailureAsync(LoginAttempt attempt, bool upstreamCounted, CancellationToken ct)
    {
        var bruteForce = await settings.BruteForceAsync(ct);
        if (!Applies(bruteForce, attempt))
            return [];
        var trips = new List<Trip>();
        var entry = Entry(bruteForce, attempt);
        var count = await counters.IncrementAsync(entry.CounterKey(attempt.Identifier), options.BlockDuration, bruteForce.MaxAttempts, ct);
        await IndexAsync(attempt, entry, ct);
        if (count.Count == bruteForce.MaxAttempts)
            trips.Add(new Trip(entry, count.Count, bruteForce.MaxAttempts, bruteForce.Blocks));
        if (upstreamCounted && guard.Applies(attempt))
        {
            var (accounts, tripped) = await guard.RecordFailureAsync(attempt, ct);
            var upstream = accounts.Select(a => new BlockEntry(attempt.Connection.Id, attempt.Connection.Name, null, true) { Account = a }).ToList();
            foreach (var account in upstream)
                await IndexAsync(attempt, account, ct);
            if (tripped)
                trips.Add(new Trip(upstream[0], options.UpstreamLockoutThreshold, options.UpstreamLockoutThreshold, bruteForce.Blocks));
        }
        return trips;
    }

    /// <summary>A successful login: the identifier's counts on this connection start again (from this address and overall), and the guard's.</summary>
    public async Task RecordSuccessAsync(LoginAttempt attempt, User? user, CancellationToken ct)
    {
        foreach (var entry in new[] { Entry(attempt, attempt.Ip is { } ip ? ProtectionKeys.Address(ip) : ""), Entry(attempt, null) })
            await counters.ResetAsync(entry.CounterKey(attempt.Identifier), ct);
        if (guard.Applies(attempt))
            await guard.RecordSuccessAsync(attempt, user, ct);
    }

    /// <summary>The blocks that hold now for an identifier, optionally on one connection.</summary>
    public async Task<IReadOnlyList<BlockEntry>> ListAsync(string identifier, string? connectionId, CancellationToken ct)
    {
        var normalized = ProtectionKeys.Normalize(identifier);
        var bruteForce = await settings.BruteForceAsync(ct);
        var blocks = new List<BlockEntry>();
        foreach (var entry in await IndexAsync(normalized, connectionId, ct))
        {
            if (entry.Upstream)
            {
                if (options.UpstreamLockoutThreshold > 0 && entry.Account is { } account && await guard.IsListedBlockAsync(account, ct))
                    blocks.Add(entry);
                continue;
            }
            if ((entry.Ip is null) != bruteForce.PerIdentifierOnly)
                continue;
            var count = await counters.GetAsync(entry.CounterKey(normalized), ct);
            if (count.Count >= bruteForce.MaxAttempts && !await PasswordChangedSinceAsync(normalized, entry, count, ct))
                blocks.Add(entry);
        }
        return blocks;
    }

    /// <summary>Lifts every block (and count) of an identifier, optionally only on one connection.</summary>
    public async Task UnblockAsync(string identifier, string? connectionId, CancellationToken ct)
    {
        var normalized = ProtectionKeys.Normalize(identifier);
        foreach (var entry in await IndexAsync(normalized, connectionId, ct))
        {
            if (entry is { Upstream: true, Account: { } account })
                await guard.UnblockAsync(account, ct);
            else
                await counters.ResetAsync(entry.CounterKey(normalized), ct);
        }
        if (connectionId is null)
            await counters.ResetAsync(ProtectionKeys.BlockIndex(normalized), ct);
    }

    private ValueTask IndexAsync(LoginAttempt attempt, BlockEntry entry, CancellationToken ct) =>
        counters.AddMemberAsync(ProtectionKeys.BlockIndex(attempt.Identifier), entry.Member(), options.BlockDuration, ct);

    private async Task<List<BlockEntry>> IndexAsync(string normalized, string? connectionId, CancellationToken ct) =>
        (await counters.GetMembersAsync(ProtectionKeys.BlockIndex(normalized), ct))
            .Select(BlockEntry.Parse).OfType<BlockEntry>()
            .Where(e => connectionId is null || e.ConnectionId == connectionId)
            .ToList();

    private static bool Applies(BruteForceProtectionSettings bruteForce, LoginAttempt attempt) =>
        bruteForce.Enabled && !IpRanges.Contains(bruteForce.Allowlist, attempt.Ip) && ConnectionOptsIn(attempt.Connection);

    /// <summary>Per identifier + address (IPv6 per /64), or per identifier in count_per_identifier mode.</summary>
    private static BlockEntry Entry(BruteForceProtectionSettings bruteForce, LoginAttempt attempt) =>
        Entry(attempt, bruteForce.PerIdentifierOnly ? null : attempt.Ip is { } ip ? ProtectionKeys.Address(ip) : "");

    private static BlockEntry Entry(LoginAttempt attempt, string? ip) => new(attempt.Connection.Id, attempt.Connection.Name, ip, false);

    /// <summary>Database connections carry Auth0's <c>brute_force_protection</c> option (default on).</summary>
    private static bool ConnectionOptsIn(Connection connection) =>
        connection.Options.ValueKind != JsonValueKind.Object
        || !connection.Options.TryGetProperty("brute_force_protection", out var flag)
        || flag.ValueKind != JsonValueKind.False;

    /// <summary>A database user who changed their password after the last failure is no longer blocked (Auth0 lifts it on a change).</summary>
    private async Task<bool> PasswordChangedSinceAsync(string normalized, BlockEntry entry, AttackCount count, CancellationToken ct)
    {
        if (entry.Upstream || count.LastAt is not { } lastFailure)
            return false;
        var connection = await connections.GetConnectionAsync(entry.ConnectionId, ct);
        if (connection is not { Strategy: "auth0" })
            return false;
        var user = await users.FindUserByEmailAsync(connection.Id, normalized, ct) ?? await users.FindUserByUsernameAsync(connection.Id, normalized, ct);
        return user?.LastPasswordReset is { } reset && reset > lastFailure;
    }
}

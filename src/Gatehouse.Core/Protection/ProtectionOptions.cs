namespace Gatehouse.Core.Protection;

/// <summary>The <c>Protection</c> configuration section: what Auth0 fixes and Gatehouse lets an operator choose.</summary>
public sealed class ProtectionOptions
{
    public const string Section = "Protection";

    /// <summary>
    /// How long a brute-force block (and its count) lasts after the last failed attempt, and how long the
    /// upstream-lockout guard remembers wrong passwords. Auth0 keeps a block until it is lifted and forgets counts
    /// after 30 days; Gatehouse has no unblock e-mail, so blocks expire. Default 30 days.
    /// </summary>
    public TimeSpan BlockDuration { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Wrong passwords for one upstream account (Azure AD), from addresses where it has not signed in lately, after
    /// which the guard blocks those addresses for <see cref="UpstreamLockoutDuration"/> (0 turns the guard off). Default 5.
    /// </summary>
    public int UpstreamLockoutThreshold { get; set; } = 5;

    /// <summary>
    /// The most wrong passwords the guard lets reach the upstream account between two successful logins, from all
    /// addresses together. Keep it below Azure AD's smart-lockout threshold (10 by default). Default 9.
    /// </summary>
    public int UpstreamLockoutLimit { get; set; } = 9;

    /// <summary>
    /// How many of <see cref="UpstreamLockoutLimit"/> stay for familiar addresses (where the user signed in lately):
    /// unfamiliar ones stop at the limit minus this, so the user still gets in from home during a spray. Default 2.
    /// </summary>
    public int UpstreamFamiliarReserve { get; set; } = 2;

    /// <summary>The guard's first block (Azure AD's smart lockout starts at a minute); each further wrong password doubles it. Default 1 minute.</summary>
    public TimeSpan UpstreamLockoutDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest timed guard block. Default 1 hour.</summary>
    public TimeSpan UpstreamLockoutMaxDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an address (IPv6 per /64) stays familiar to an account after a successful login there. Default 30 days.</summary>
    public TimeSpan FamiliarLocationDuration { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a node keeps the attack-protection settings before re-reading them (other nodes' PATCHes). Default 5 s.</summary>
    public TimeSpan SettingsCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most counters (keys and set members) the in-memory store keeps; blocks are never dropped for room. Default 200 000.</summary>
    public int MaxCounters { get; set; } = 200_000;

    /// <summary>Unfamiliar addresses stop here; the rest of the limit is the familiar reserve.</summary>
    public int UpstreamUnfamiliarLimit => UpstreamLockoutLimit - UpstreamFamiliarReserve;

    /// <summary>Stops the start with the key named when the values cannot work together.</summary>
    public ProtectionOptions Validated()
    {
        Require(BlockDuration > TimeSpan.Zero, nameof(BlockDuration), "must be above 0");
        Require(UpstreamLockoutThreshold >= 0, nameof(UpstreamLockoutThreshold), "must be 0 (off) or more");
        Require(UpstreamFamiliarReserve >= 0, nameof(UpstreamFamiliarReserve), "must be 0 or more");
        Require(UpstreamLockoutThreshold == 0 || UpstreamLockoutThreshold <= UpstreamUnfamiliarLimit, nameof(UpstreamLockoutLimit),
            "must be at least UpstreamLockoutThreshold + UpstreamFamiliarReserve");
        Require(UpstreamLockoutDuration > TimeSpan.Zero, nameof(UpstreamLockoutDuration), "must be above 0");
        Require(UpstreamLockoutMaxDuration >= UpstreamLockoutDuration, nameof(UpstreamLockoutMaxDuration), "must be at least UpstreamLockoutDuration");
        Require(FamiliarLocationDuration > TimeSpan.Zero, nameof(FamiliarLocationDuration), "must be above 0");
        Require(SettingsCacheDuration >= TimeSpan.Zero, nameof(SettingsCacheDuration), "must be 0 or more");
        Require(MaxCounters >= 100, nameof(MaxCounters), "must be at least 100");
        return this;
    }

    private static void Require(bool ok, string key, string rule)
    {
        if (!ok)
            throw new InvalidOperationException($"{Section}:{key} {rule}.");
    }
}

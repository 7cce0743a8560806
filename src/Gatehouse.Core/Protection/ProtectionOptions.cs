namespace Gatehouse.Core.Protection;

/// <summary>The <c>Protection</c> configuration section: what Auth0 fixes and Gatehouse lets an operator choose.</summary>
public sealed class ProtectionOptions
{
    public const string Section = "Protection";

    /// <summary>
    /// How long a brute-force block (and its count) lasts after the last failed attempt. Auth0 keeps a block until it
    /// is lifted and forgets counts after 30 days; Gatehouse has no unblock e-mail, so blocks expire. Default 30 days.
    /// </summary>
    public TimeSpan BlockDuration { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Wrong passwords for one identifier on a waad connection, from any IP, after which Gatehouse stops asking
    /// Azure AD (0 turns it off). It must stay below Azure AD's smart-lockout threshold (10 by default) so a
    /// password spray from many addresses cannot lock the real user out at Azure AD. Default 5.
    /// </summary>
    public int UpstreamLockoutThreshold { get; set; } = 5;

    /// <summary>How long a node keeps the attack-protection settings before re-reading them (other nodes' PATCHes). Default 5 s.</summary>
    public TimeSpan SettingsCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most counters the in-memory store keeps; beyond it expired ones go first, then the oldest. Default 200 000.</summary>
    public int MaxCounters { get; set; } = 200_000;
}

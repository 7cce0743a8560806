namespace Gatehouse.Core.Devices;

/// <summary>The device flow's lifetimes and bounds (configuration section <c>DeviceFlow</c>; RFC 8628, Auth0's defaults).</summary>
public sealed class DeviceOptions
{
    public const string Section = "DeviceFlow";

    /// <summary>Auth0's 15 minutes (<c>expires_in</c>).</summary>
    public int CodeLifetimeSeconds { get; set; } = 900;

    /// <summary>The polling interval the app is told (<c>interval</c>).</summary>
    public int IntervalSeconds { get; set; } = 5;

    /// <summary>How long a redeemed or expired device code is remembered, to answer replays and expiry.</summary>
    public int ReplayMemorySeconds { get; set; } = 600;

    /// <summary>Device authorizations held at once; the oldest go first beyond this.</summary>
    public int MaxAuthorizations { get; set; } = 10000;

    /// <summary>Codes one <c>/activate</c> visit may try before it must start again.</summary>
    public int MaxAttemptsPerActivation { get; set; } = 5;

    public DeviceOptions Validated()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(CodeLifetimeSeconds), CodeLifetimeSeconds), (nameof(IntervalSeconds), IntervalSeconds),
            (nameof(ReplayMemorySeconds), ReplayMemorySeconds), (nameof(MaxAuthorizations), MaxAuthorizations),
            (nameof(MaxAttemptsPerActivation), MaxAttemptsPerActivation),
        })
        {
            if (value < 1)
                throw new InvalidOperationException($"{Section}:{name} must be at least 1.");
        }
        return this;
    }
}

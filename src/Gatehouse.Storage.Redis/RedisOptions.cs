using Gatehouse.Core.Protection;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// Configuration section <c>Redis</c>. <see cref="Configuration"/> set switches every piece of shared state to Redis
/// (<see cref="RedisSharedState.AddRedisSharedState"/>); unset, the in-memory stores serve one node.
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=…</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefixes every key, so several deployments (or test runs) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "gatehouse:";

    /// <summary><c>fail-closed</c> (default) or <c>fail-open</c>: see <see cref="AttackProtectionWhenDown"/> and docs/deployment.md.</summary>
    public string AttackProtectionWhenDown { get; set; } = "fail-closed";

    /// <summary>How long a connect, and any one command, may take before the request gives up (milliseconds).</summary>
    public int TimeoutMilliseconds { get; set; } = 1000;

    public AttackProtectionWhenDown WhenDown() => AttackProtectionWhenDown.Trim().ToLowerInvariant() switch
    {
        "fail-closed" => Core.Protection.AttackProtectionWhenDown.FailClosed,
        "fail-open" => Core.Protection.AttackProtectionWhenDown.FailOpen,
        _ => throw new InvalidOperationException($"{Section}:AttackProtectionWhenDown must be fail-closed or fail-open, not '{AttackProtectionWhenDown}'."),
    };

    /// <summary>Stops the start naming the key when a value makes no sense.</summary>
    public RedisOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(Configuration))
            throw new InvalidOperationException($"{Section}:Configuration is empty.");
        if (TimeoutMilliseconds < 50)
            throw new InvalidOperationException($"{Section}:TimeoutMilliseconds must be at least 50.");
        _ = WhenDown();
        return this;
    }
}

using System.Text.Json.Serialization;

namespace Gatehouse.Core.Protection;

/// <summary>
/// Auth0's attack-protection settings in their Management API shapes (<c>/api/v2/attack-protection/*</c>), with
/// Auth0's defaults for a new tenant. Stored as one JSON document per kind; a missing member takes its default.
/// </summary>
public static class AttackProtectionKinds
{
    public const string BruteForce = "brute-force-protection";
    public const string SuspiciousIp = "suspicious-ip-throttling";
    public const string BreachedPassword = "breached-password-detection";
}

public static class Shields
{
    public const string Block = "block";
    public const string UserNotification = "user_notification";
    public const string AdminNotification = "admin_notification";
}

public sealed record BruteForceProtectionSettings
{
    public const string CountPerIdentifierAndIp = "count_per_identifier_and_ip";
    public const string CountPerIdentifier = "count_per_identifier";

    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; } = true;

    [JsonPropertyName("shields")]
    public IReadOnlyList<string> Shields { get; init; } = [Protection.Shields.Block, Protection.Shields.UserNotification];

    [JsonPropertyName("allowlist")]
    public IReadOnlyList<string> Allowlist { get; init; } = [];

    [JsonPropertyName("mode")]
    public string Mode { get; init; } = CountPerIdentifierAndIp;

    [JsonPropertyName("max_attempts")]
    public int MaxAttempts { get; init; } = 10;

    /// <summary>Counting happens whenever enabled; refusing only with the block shield.</summary>
    [JsonIgnore]
    public bool Blocks => Enabled && Shields.Contains(Protection.Shields.Block);

    [JsonIgnore]
    public bool PerIdentifierOnly => Mode == CountPerIdentifier;
}

public sealed record SuspiciousIpThrottlingSettings
{
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; } = true;

    [JsonPropertyName("shields")]
    public IReadOnlyList<string> Shields { get; init; } = [Protection.Shields.AdminNotification, Protection.Shields.Block];

    [JsonPropertyName("allowlist")]
    public IReadOnlyList<string> Allowlist { get; init; } = [];

    [JsonPropertyName("stage")]
    public ThrottlingStages Stage { get; init; } = new();

    [JsonIgnore]
    public bool Blocks => Enabled && Shields.Contains(Protection.Shields.Block);
}

public sealed record ThrottlingStages
{
    [JsonPropertyName("pre-login")]
    public ThrottlingStage PreLogin { get; init; } = new(100, 864_000);

    /// <summary>Stored and returned: Gatehouse has no sign-up endpoint to throttle yet.</summary>
    [JsonPropertyName("pre-user-registration")]
    public ThrottlingStage PreUserRegistration { get; init; } = new(50, 1_728_000);
}

/// <summary>A token bucket: <paramref name="MaxAttempts"/> attempts, one more granted every <paramref name="Rate"/> ms.</summary>
public sealed record ThrottlingStage(
    [property: JsonPropertyName("max_attempts")] int MaxAttempts,
    [property: JsonPropertyName("rate")] long Rate);

/// <summary>Stored and returned only: Gatehouse has no breached-password corpus to check against.</summary>
public sealed record BreachedPasswordDetectionSettings
{
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    [JsonPropertyName("shields")]
    public IReadOnlyList<string> Shields { get; init; } = [];

    [JsonPropertyName("admin_notification_frequency")]
    public IReadOnlyList<string> AdminNotificationFrequency { get; init; } = [];

    [JsonPropertyName("method")]
    public string Method { get; init; } = "standard";

    [JsonPropertyName("stage")]
    public BreachedPasswordStages Stage { get; init; } = new();
}

public sealed record BreachedPasswordStages
{
    [JsonPropertyName("pre-user-registration")]
    public BreachedPasswordStage PreUserRegistration { get; init; } = new();

    [JsonPropertyName("pre-change-password")]
    public BreachedPasswordStage PreChangePassword { get; init; } = new();
}

public sealed record BreachedPasswordStage
{
    [JsonPropertyName("shields")]
    public IReadOnlyList<string> Shields { get; init; } = [];
}

using System.Text.Json;
using Gatehouse.Core.Protection;

namespace Gatehouse.Core.Admin;

/// <summary>
/// Every change to the attack-protection settings (brute-force protection, suspicious IP throttling, breached password
/// detection), from any door: Auth0's shapes and limits, a change validated whole before anything is saved (a refused
/// one changes nothing), the save, and one audit event naming the actor. A change applies on this node at once and on
/// other nodes within Protection:SettingsCacheDuration.
/// </summary>
public sealed class AttackProtectionAdmin(AttackProtectionSettingsService settings, AdminAudit audit)
{
    private static readonly string[] BruteForceShields = [Shields.Block, Shields.UserNotification];
    private static readonly string[] ThrottlingShields = [Shields.Block, Shields.AdminNotification];
    private static readonly string[] BreachedShields = [Shields.Block, Shields.UserNotification, Shields.AdminNotification];
    private static readonly string[] StageShields = [Shields.Block, Shields.AdminNotification];
    private static readonly string[] Modes = [BruteForceProtectionSettings.CountPerIdentifierAndIp, BruteForceProtectionSettings.CountPerIdentifier];
    private static readonly string[] Frequencies = ["immediately", "daily", "weekly", "monthly"];
    private static readonly string[] Methods = ["standard", "enhanced"];

    public async Task<T> GetAsync<T>(string kind, CancellationToken ct) where T : notnull, new() =>
        (await settings.ReadAsync<T>(kind, ct)).Settings;

    public Task<BruteForceProtectionSettings> UpdateBruteForceAsync(AdminActor actor, JsonElement patch, CancellationToken ct) =>
        UpdateAsync<BruteForceProtectionSettings>(actor, AttackProtectionKinds.BruteForce, "Update Brute-force protection settings", patch, PatchBruteForce, ct);

    public Task<SuspiciousIpThrottlingSettings> UpdateSuspiciousIpAsync(AdminActor actor, JsonElement patch, CancellationToken ct) =>
        UpdateAsync<SuspiciousIpThrottlingSettings>(actor, AttackProtectionKinds.SuspiciousIp, "Update Suspicious IP throttling settings", patch, PatchSuspiciousIp, ct);

    public Task<BreachedPasswordDetectionSettings> UpdateBreachedPasswordAsync(AdminActor actor, JsonElement patch, CancellationToken ct) =>
        UpdateAsync<BreachedPasswordDetectionSettings>(actor, AttackProtectionKinds.BreachedPassword,
            "Update Breached password detection settings (stored, not enforced)", patch, PatchBreachedPassword, ct);

    private async Task<T> UpdateAsync<T>(AdminActor actor, string kind, string description, JsonElement patch, Func<T, SettingsPatch, T> apply, CancellationToken ct)
        where T : notnull, new()
    {
        var (current, version) = await settings.ReadAsync<T>(kind, ct);
        var updated = apply(current, SettingsPatch.Of(patch));
        var saved = await settings.SaveAsync(kind, updated, version, ct);
        await audit.RecordAsync(actor, new AdminChange(description, "patch", "/api/v2/attack-protection/" + kind), ct);
        return saved;
    }

    private static BruteForceProtectionSettings PatchBruteForce(BruteForceProtectionSettings current, SettingsPatch body)
    {
        body.AllowOnly("enabled", "shields", "allowlist", "mode", "max_attempts");
        return current with
        {
            Enabled = body.Bool("enabled") ?? current.Enabled,
            Shields = body.Enums("shields", BruteForceShields) ?? current.Shields,
            Allowlist = body.Allowlist("allowlist") ?? current.Allowlist,
            Mode = body.Enum("mode", Modes) ?? current.Mode,
            MaxAttempts = (int?)body.Integer("max_attempts", 1, 100) ?? current.MaxAttempts,
        };
    }

    private static SuspiciousIpThrottlingSettings PatchSuspiciousIp(SuspiciousIpThrottlingSettings current, SettingsPatch body)
    {
        body.AllowOnly("enabled", "shields", "allowlist", "stage");
        var stage = current.Stage;
        if (body.Object("stage") is { } stages)
        {
            stages.AllowOnly("pre-login", "pre-user-registration");
            stage = stage with
            {
                PreLogin = Stage(stages.Object("pre-login"), stage.PreLogin, maxAttempts: 2500, minRate: 34_560),
                PreUserRegistration = Stage(stages.Object("pre-user-registration"), stage.PreUserRegistration, maxAttempts: 72_000, minRate: 1_200),
            };
        }
        return current with
        {
            Enabled = body.Bool("enabled") ?? current.Enabled,
            Shields = body.Enums("shields", ThrottlingShields) ?? current.Shields,
            Allowlist = body.Allowlist("allowlist") ?? current.Allowlist,
            Stage = stage,
        };
    }

    private static ThrottlingStage Stage(SettingsPatch? body, ThrottlingStage current, int maxAttempts, long minRate)
    {
        if (body is null)
            return current;
        body.AllowOnly("max_attempts", "rate");
        return new ThrottlingStage((int?)body.Integer("max_attempts", 1, maxAttempts) ?? current.MaxAttempts, body.Integer("rate", minRate, 86_400_000) ?? current.Rate);
    }

    private static BreachedPasswordDetectionSettings PatchBreachedPassword(BreachedPasswordDetectionSettings current, SettingsPatch body)
    {
        body.AllowOnly("enabled", "shields", "admin_notification_frequency", "method", "stage");
        var stage = current.Stage;
        if (body.Object("stage") is { } stages)
        {
            stages.AllowOnly("pre-user-registration", "pre-change-password");
            stage = stage with
            {
                PreUserRegistration = StageShieldsOf(stages.Object("pre-user-registration"), stage.PreUserRegistration),
                PreChangePassword = StageShieldsOf(stages.Object("pre-change-password"), stage.PreChangePassword),
            };
        }
        return current with
        {
            Enabled = body.Bool("enabled") ?? current.Enabled,
            Shields = body.Enums("shields", BreachedShields) ?? current.Shields,
            AdminNotificationFrequency = body.Enums("admin_notification_frequency", Frequencies) ?? current.AdminNotificationFrequency,
            Method = body.Enum("method", Methods) ?? current.Method,
            Stage = stage,
        };
    }

    private static BreachedPasswordStage StageShieldsOf(SettingsPatch? body, BreachedPasswordStage current)
    {
        if (body is null)
            return current;
        body.AllowOnly("shields");
        return new BreachedPasswordStage { Shields = body.Enums("shields", StageShields) ?? current.Shields };
    }
}

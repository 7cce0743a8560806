using Gatehouse.Core.Protection;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Management;

namespace Gatehouse.Server.Protection;

/// <summary>
/// GET/PATCH /api/v2/attack-protection/{brute-force-protection, suspicious-ip-throttling, breached-password-detection}
/// with Auth0's shapes and validation. A PATCH is validated whole before anything is saved, so a refused one changes
/// nothing; it applies on this node at once and on other nodes within Protection:SettingsCacheDuration.
/// </summary>
internal static class AttackProtectionApi
{
    private static readonly string[] BruteForceShields = [Shields.Block, Shields.UserNotification];
    private static readonly string[] ThrottlingShields = [Shields.Block, Shields.AdminNotification];
    private static readonly string[] BreachedShields = [Shields.Block, Shields.UserNotification, Shields.AdminNotification];
    private static readonly string[] StageShields = [Shields.Block, Shields.AdminNotification];
    private static readonly string[] Modes = [BruteForceProtectionSettings.CountPerIdentifierAndIp, BruteForceProtectionSettings.CountPerIdentifier];
    private static readonly string[] Frequencies = ["immediately", "daily", "weekly", "monthly"];
    private static readonly string[] Methods = ["standard", "enhanced"];

    public static void MapAttackProtection(this RouteGroupBuilder api)
    {
        Map<BruteForceProtectionSettings>(api, AttackProtectionKinds.BruteForce, "Brute-force protection settings", PatchBruteForce);
        Map<SuspiciousIpThrottlingSettings>(api, AttackProtectionKinds.SuspiciousIp, "Suspicious IP throttling settings", PatchSuspiciousIp);
        Map<BreachedPasswordDetectionSettings>(api, AttackProtectionKinds.BreachedPassword, "Breached password detection settings (stored, not enforced)", PatchBreachedPassword);
    }

    private static void Map<T>(RouteGroupBuilder api, string kind, string title, Func<T, SettingsPatch, T> patch) where T : notnull, new()
    {
        api.MapGet("/attack-protection/" + kind, async (HttpContext context, AttackProtectionSettingsService settings) =>
            Results.Json((await settings.ReadAsync<T>(kind, context.RequestAborted)).Settings, JsonDefaults.Options))
            .WithSummary("Get " + title).WithTags("Attack protection");

        api.MapPatch("/attack-protection/" + kind, async (HttpContext context, AttackProtectionSettingsService settings) =>
        {
            var body = SettingsPatch.Of(await JsonBody.ReadAsync(context.Request));
            var (current, version) = await settings.ReadAsync<T>(kind, context.RequestAborted);
            var updated = patch(current, body);
            return Results.Json(await settings.SaveAsync(kind, updated, version, context.RequestAborted), JsonDefaults.Options);
        }).WithSummary("Update " + title).WithTags("Attack protection");
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

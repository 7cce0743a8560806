using System.Text.Json;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests.Admin;

public sealed class AttackProtectionAdminTests : IDisposable
{
    private static readonly AdminActor Administrator = AdminActor.Administrator("adm_1", "admin@example.com");
    private readonly TestWorld _world = new();
    private readonly AttackProtectionAdmin _admin;

    public AttackProtectionAdminTests() => _admin = new AttackProtectionAdmin(_world.ProtectionSettings, new AdminAudit(_world.Audit));

    public void Dispose() => _world.Dispose();

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Theory]
    [InlineData("""{"enabled":false,"max_attempts":0}""", "max_attempts", "Payload validation error: 'Value 0 is less than minimum 1' on property max_attempts.")]
    [InlineData("""{"enabled":false,"mode":"per_ip"}""", "mode", "Payload validation error: 'No enum match for: \"per_ip\"' on property mode.")]
    [InlineData("""{"enabled":false,"allowlist":["10.0.0.1","not-an-ip"]}""", "allowlist[1]",
        "Payload validation error: 'Object didn't pass validation for format ipv4, cidr, ipv6 or ipv6_cidr: not-an-ip' on property allowlist[1].")]
    [InlineData("""{"enabled":"no"}""", "enabled", "Payload validation error: 'Expected type boolean but found type string' on property enabled.")]
    [InlineData("""{"enabled":false,"stage":{}}""", "", "Payload validation error: 'Additional properties not allowed: stage'.")]
    public async Task A_brute_force_change_with_one_bad_value_is_refused_whole(string patch, string field, string message)
    {
        var refused = await Assert.ThrowsAsync<AdminException>(() => _admin.UpdateBruteForceAsync(Administrator, Json(patch), default));

        Assert.Equal(message, refused.Message);
        Assert.Equal(field, Assert.Single(refused.Problems).Field);
        Assert.True((await _admin.GetAsync<BruteForceProtectionSettings>(AttackProtectionKinds.BruteForce, default)).Enabled);
        Assert.Empty(_world.Writes());
    }

    [Fact]
    public async Task A_nested_stage_value_is_named_by_its_path()
    {
        var refused = await Assert.ThrowsAsync<AdminException>(() =>
            _admin.UpdateSuspiciousIpAsync(Administrator, Json("""{"stage":{"pre-login":{"rate":1}}}"""), default));

        Assert.Equal("Payload validation error: 'Value 1 is less than minimum 34560' on property stage.pre-login.rate.", refused.Message);
    }

    [Fact]
    public async Task A_valid_change_is_saved_and_is_one_event_naming_the_administrator()
    {
        var saved = await _admin.UpdateBruteForceAsync(Administrator, Json("""{"max_attempts":3,"shields":["block","block"]}"""), default);

        Assert.Equal(3, saved.MaxAttempts);
        Assert.Equal(["block"], saved.Shields);
        Assert.Equal(3, (await _admin.GetAsync<BruteForceProtectionSettings>(AttackProtectionKinds.BruteForce, default)).MaxAttempts);
        var only = Assert.Single(_world.Writes());
        Assert.Equal("/api/v2/attack-protection/brute-force-protection", only.Request().GetProperty("path").GetString());
        Assert.Equal("dashboard", only.Request().GetProperty("channel").GetString());
    }
}

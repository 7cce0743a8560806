using System.Net;
using System.Net.Http.Json;
using System.Text;
using Gatehouse.Core.Logs;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Protection;

/// <summary>/api/v2/attack-protection/* and /user-blocks: shapes, Auth0's validation, scopes, and that a refused PATCH changes nothing.</summary>
public class AttackProtectionSettingsTests(ProtectionFixture fixture) : IClassFixture<ProtectionFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetSettingsAsync();

    public Task DisposeAsync() => fixture.ResetSettingsAsync();

    private HttpClient Api => fixture.Management;

    private async Task<string> GetAsync(string kind) => (await HttpAssert.OkJsonAsync(await Api.GetAsync("attack-protection/" + kind))).GetRawText();

    private async Task<string> BadPatchAsync(string kind, string json)
    {
        var before = await GetAsync(kind);
        var message = await HttpAssert.ManagementErrorAsync(
            await Api.PatchAsync("attack-protection/" + kind, new StringContent(json, Encoding.UTF8, "application/json")), 400, "invalid_body");
        Assert.Equal(before, await GetAsync(kind));
        return message;
    }

    [Fact]
    public async Task Defaults_are_auth0s_shapes()
    {
        Assert.Equal("""{"enabled":true,"shields":["block","user_notification"],"allowlist":[],"mode":"count_per_identifier_and_ip","max_attempts":10}""",
            await GetAsync("brute-force-protection"));
        Assert.Equal("""{"enabled":true,"shields":["admin_notification","block"],"allowlist":[],"stage":{"pre-login":{"max_attempts":100,"rate":864000},"pre-user-registration":{"max_attempts":50,"rate":1728000}}}""",
            await GetAsync("suspicious-ip-throttling"));
        Assert.Equal("""{"enabled":false,"shields":[],"admin_notification_frequency":[],"method":"standard","stage":{"pre-user-registration":{"shields":[]},"pre-change-password":{"shields":[]}}}""",
            await GetAsync("breached-password-detection"));
    }

    [Fact]
    public async Task A_patch_changes_only_what_it_names_and_is_audited()
    {
        var patched = await fixture.PatchSettingsAsync("suspicious-ip-throttling", new Dictionary<string, object>
        {
            ["allowlist"] = new[] { "10.0.0.0/8", "2001:db8::/32", "192.0.2.1" },
            ["stage"] = new Dictionary<string, object> { ["pre-login"] = new { max_attempts = 2500 } },
        });
        Assert.Equal("""{"enabled":true,"shields":["admin_notification","block"],"allowlist":["10.0.0.0/8","2001:db8::/32","192.0.2.1"],"stage":{"pre-login":{"max_attempts":2500,"rate":864000},"pre-user-registration":{"max_attempts":50,"rate":1728000}}}""",
            patched.GetRawText());
        Assert.Equal(patched.GetRawText(), await GetAsync("suspicious-ip-throttling"));

        var breached = await fixture.PatchSettingsAsync("breached-password-detection", new Dictionary<string, object>
        {
            ["enabled"] = true, ["shields"] = new[] { "block", "admin_notification" }, ["admin_notification_frequency"] = new[] { "daily" }, ["method"] = "enhanced",
            ["stage"] = new Dictionary<string, object> { ["pre-change-password"] = new { shields = new[] { "block" } } },
        });
        Assert.Equal("""{"enabled":true,"shields":["block","admin_notification"],"admin_notification_frequency":["daily"],"method":"enhanced","stage":{"pre-user-registration":{"shields":[]},"pre-change-password":{"shields":["block"]}}}""",
            breached.GetRawText());
        await fixture.PatchSettingsAsync("breached-password-detection", new { enabled = false, shields = Array.Empty<string>(), admin_notification_frequency = Array.Empty<string>(), method = "standard" });

        Assert.Contains(await fixture.LogsAsync(LogTypes.ManagementApiWrite),
            l => l.Details!.Value.GetProperty("request").GetProperty("path").GetString() == "/api/v2/attack-protection/suspicious-ip-throttling");
    }

    [Fact]
    public async Task Bad_patches_are_400s_that_name_the_property_and_change_nothing()
    {
        Assert.Equal("Payload validation error: 'Additional properties not allowed: lockout'.", await BadPatchAsync("brute-force-protection", """{"lockout":true}"""));
        Assert.Equal("Payload validation error: 'Expected type boolean but found type string' on property enabled.", await BadPatchAsync("brute-force-protection", """{"enabled":"yes"}"""));
        Assert.Equal("Payload validation error: 'Expected type boolean but found type null' on property enabled.", await BadPatchAsync("brute-force-protection", """{"enabled":null}"""));
        Assert.Equal("Payload validation error: 'Value 101 is greater than maximum 100' on property max_attempts.", await BadPatchAsync("brute-force-protection", """{"max_attempts":101}"""));
        Assert.Equal("Payload validation error: 'Value 0 is less than minimum 1' on property max_attempts.", await BadPatchAsync("brute-force-protection", """{"max_attempts":0}"""));
        Assert.Equal("Payload validation error: 'Expected type integer but found type number' on property max_attempts.", await BadPatchAsync("brute-force-protection", """{"max_attempts":2.5}"""));
        Assert.Equal("Payload validation error: 'No enum match for: \"per_ip\"' on property mode.", await BadPatchAsync("brute-force-protection", """{"mode":"per_ip"}"""));
        Assert.Equal("Payload validation error: 'No enum match for: \"admin_notification\"' on property shields[0].", await BadPatchAsync("brute-force-protection", """{"shields":["admin_notification"]}"""));
        Assert.Contains("10.0.0.1/8", await BadPatchAsync("brute-force-protection", """{"enabled":false,"allowlist":["10.0.0.1/8"]}"""), StringComparison.Ordinal);
        Assert.Contains("on property allowlist[1]", await BadPatchAsync("suspicious-ip-throttling", """{"allowlist":["10.0.0.0/8","example.com"]}"""), StringComparison.Ordinal);
        Assert.Equal("Payload validation error: 'Value 1000 is less than minimum 34560' on property stage.pre-login.rate.",
            await BadPatchAsync("suspicious-ip-throttling", """{"enabled":false,"stage":{"pre-login":{"rate":1000}}}"""));
        Assert.Equal("Payload validation error: 'Additional properties not allowed: burst' on property stage.pre-user-registration.",
            await BadPatchAsync("suspicious-ip-throttling", """{"stage":{"pre-user-registration":{"burst":1}}}"""));
        Assert.Equal("Payload validation error: 'Expected type object but found type array' on property stage.",
            await BadPatchAsync("suspicious-ip-throttling", """{"stage":[]}"""));
        Assert.Equal("Payload validation error: 'No enum match for: \"hourly\"' on property admin_notification_frequency[0].",
            await BadPatchAsync("breached-password-detection", """{"admin_notification_frequency":["hourly"]}"""));
        Assert.Equal("Payload validation error: 'No enum match for: \"user_notification\"' on property stage.pre-change-password.shields[0].",
            await BadPatchAsync("breached-password-detection", """{"stage":{"pre-change-password":{"shields":["user_notification"]}}}"""));
        Assert.Contains("maximum 100", await BadPatchAsync("brute-force-protection",
            "{\"allowlist\":[" + string.Join(',', Enumerable.Range(1, 101).Select(i => $"\"10.0.{i}.0/24\"")) + "]}"), StringComparison.Ordinal);
        await HttpAssert.ManagementErrorAsync(await Api.PatchAsync("attack-protection/brute-force-protection", new StringContent("[1]", Encoding.UTF8, "application/json")), 400, "invalid_body");
    }

    [Fact]
    public async Task Each_endpoint_needs_its_scope()
    {
        using var reader = await fixture.ManagementWithScopesAsync("read:attack_protection");
        using var users = await fixture.ManagementWithScopesAsync("read:users");
        var before = await GetAsync("brute-force-protection");
        await HttpAssert.OkJsonAsync(await reader.GetAsync("attack-protection/brute-force-protection"));
        Assert.Equal("Insufficient scope, expected any of: update:attack_protection",
            await HttpAssert.ManagementErrorAsync(await reader.PatchAsJsonAsync("attack-protection/brute-force-protection", new { max_attempts = 1 }), 403, "insufficient_scope"));
        Assert.Equal(before, await GetAsync("brute-force-protection"));
        Assert.Equal("Insufficient scope, expected any of: read:attack_protection",
            await HttpAssert.ManagementErrorAsync(await users.GetAsync("attack-protection/suspicious-ip-throttling"), 403, "insufficient_scope"));

        await HttpAssert.OkJsonAsync(await users.GetAsync("user-blocks?identifier=someone%40example.com"));
        Assert.Equal("Insufficient scope, expected any of: update:users",
            await HttpAssert.ManagementErrorAsync(await users.DeleteAsync("user-blocks?identifier=someone%40example.com"), 403, "insufficient_scope"));
        await HttpAssert.ManagementErrorAsync(await reader.GetAsync("user-blocks?identifier=someone%40example.com"), 403, "insufficient_scope");
        await HttpAssert.ManagementErrorAsync(await users.GetAsync("user-blocks"), 400, "invalid_query_string");
        await HttpAssert.ManagementErrorAsync(await users.GetAsync("user-blocks?identifier=x&consider_brute_force_enablement=maybe"), 400, "invalid_query_string");
        Assert.Equal("User not found.", await HttpAssert.ManagementErrorAsync(await users.GetAsync("user-blocks/auth0%7Cnobody"), 404, "inexistent_user"));
        await HttpAssert.ManagementErrorAsync(await Api.DeleteAsync("user-blocks/auth0%7Cnobody"), 404, "inexistent_user");
    }

    [Fact]
    public async Task The_openapi_document_lists_the_routes_with_their_scopes()
    {
        var document = await HttpAssert.OkJsonAsync(await fixture.Server.Client.GetAsync("api/v2/openapi.json"));
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/attack-protection/brute-force-protection", "/attack-protection/suspicious-ip-throttling", "/attack-protection/breached-password-detection", "/user-blocks", "/user-blocks/{id}", "/anomaly/blocks/ips/{id}" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        Assert.Contains("delete:anomaly_blocks", paths.GetProperty("/anomaly/blocks/ips/{id}").GetProperty("delete").GetRawText(), StringComparison.Ordinal);
    }
}

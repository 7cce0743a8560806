using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests;

/// <summary>
/// Issue 19's settings through the Management API: <c>gatehouse_claims</c> on clients and resource servers,
/// <c>gatehouse_access_rules</c> on clients, <c>gatehouse_role_mappings</c> in waad options. Stored and returned as sent,
/// removed by null; bad input is Auth0's 400 naming the member and changes nothing; the object's own scopes apply.
/// </summary>
public sealed class ManagementDirectorySettingsTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private const string Claims = """{"namespace":"https://claims.example/","access_token":["roles","groups"],"id_token":["upn"],"groups":{"format":"ids","prefix":"Sales","only":["Sales West"]},"max_groups":50}""";
    private const string Rules = """{"roles":["rol_AAAAAAAAAAAAAAAA"],"groups":["Sales"],"connections":["contoso"],"tenants":["9188040d-6c67-4c5b-b112-36a304b66dad"]}""";

    private HttpClient Api => tenant.Management;

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private async Task<string> NewClientAsync() =>
        (await tenant.PostAsync("clients", new { name = "Settings " + Guid.NewGuid().ToString("N")[..8], app_type = "native" })).GetProperty("client_id").GetString()!;

    [Fact]
    public async Task Claims_and_access_rules_round_trip_on_a_client_and_null_removes_them()
    {
        var created = await HttpAssert.OkJsonAsync(await Api.PostAsJsonAsync("clients", new
        {
            name = "With settings", app_type = "native", gatehouse_claims = Json(Claims), gatehouse_access_rules = Json(Rules),
        }), HttpStatusCode.Created);
        var id = created.GetProperty("client_id").GetString()!;
        var read = await HttpAssert.OkJsonAsync(await Api.GetAsync("clients/" + id));
        Assert.Equal(Json(Claims).GetRawText(), read.GetProperty("gatehouse_claims").GetRawText());
        Assert.Equal(Json(Rules).GetRawText(), read.GetProperty("gatehouse_access_rules").GetRawText());

        await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync("clients/" + id, new Dictionary<string, object?> { ["gatehouse_access_rules"] = null }));
        read = await HttpAssert.OkJsonAsync(await Api.GetAsync("clients/" + id));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("gatehouse_access_rules").ValueKind); // cleared: everyone may use the app
        Assert.Equal(JsonValueKind.Object, read.GetProperty("gatehouse_claims").ValueKind);
    }

    [Theory]
    [InlineData("gatehouse_claims", """{"namespace":"https://x.auth0.com/"}""", "Payload validation error: 'must not be on an Auth0 domain (auth0.com, webtask.io, webtask.run)' on property gatehouse_claims.namespace.")]
    [InlineData("gatehouse_claims", """{"namespace":"https://x.example/","access_token":["email"]}""", "Payload validation error: 'must be one of groups, roles, app_roles, upn, tid, oid, job_title, department' on property gatehouse_claims.access_token[0].")]
    [InlineData("gatehouse_access_rules", """{"groups":[]}""", "Payload validation error: 'must not be empty (an empty list lets no one in; leave it out to allow everyone)' on property gatehouse_access_rules.groups.")]
    [InlineData("gatehouse_access_rules", """{"tenants":["contoso.com"]}""", "Payload validation error: 'must be a tenant id (GUID)' on property gatehouse_access_rules.tenants[0].")]
    [InlineData("gatehouse_access_rules", """{"everyone":true}""", "Payload validation error: 'is not a known member (one of: roles, groups, connections, tenants)' on property gatehouse_access_rules.everyone.")]
    public async Task Bad_settings_on_a_client_are_a_400_naming_the_member_and_change_nothing(string field, string value, string message)
    {
        var id = await NewClientAsync();
        var before = (await HttpAssert.OkJsonAsync(await Api.GetAsync("clients/" + id))).GetRawText();
        Assert.Equal(message, await HttpAssert.ManagementErrorAsync(
            await Api.PatchAsJsonAsync("clients/" + id, new Dictionary<string, object> { [field] = Json(value), ["name"] = "renamed" }), 400, "invalid_body"));
        Assert.Equal(before, (await HttpAssert.OkJsonAsync(await Api.GetAsync("clients/" + id))).GetRawText());
        Assert.Equal(message, await HttpAssert.ManagementErrorAsync(
            await Api.PostAsJsonAsync("clients", new Dictionary<string, object> { [field] = Json(value), ["name"] = "never made" }), 400, "invalid_body"));
    }

    [Fact]
    public async Task A_resource_server_takes_claims_for_its_access_tokens_only()
    {
        var body = new Dictionary<string, object>
        {
            ["identifier"] = "https://claims-api.example/", ["name"] = "Claims API",
            ["gatehouse_claims"] = Json("""{"namespace":"https://claims.example/","access_token":["roles"]}"""),
        };
        var created = await HttpAssert.OkJsonAsync(await Api.PostAsJsonAsync("resource-servers", body), HttpStatusCode.Created);
        Assert.Equal("""{"namespace":"https://claims.example/","access_token":["roles"]}""", created.GetProperty("gatehouse_claims").GetRawText());
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("Payload validation error: 'is not a known member (one of: namespace, access_token, groups, max_groups)' on property gatehouse_claims.id_token.",
            await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync("resource-servers/" + id, new { gatehouse_claims = Json("""{"namespace":"https://claims.example/","id_token":["upn"]}""") }), 400, "invalid_body"));
        Assert.Equal("""{"namespace":"https://claims.example/","access_token":["roles"]}""",
            (await HttpAssert.OkJsonAsync(await Api.GetAsync("resource-servers/" + id))).GetProperty("gatehouse_claims").GetRawText());
        Assert.Contains("gatehouse_access_rules", await HttpAssert.ManagementErrorAsync(
            await Api.PatchAsJsonAsync("resource-servers/" + id, new { gatehouse_access_rules = Json(Rules) }), 400, "invalid_body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_waad_role_mapping_is_validated_with_the_options_and_a_bad_one_stores_nothing()
    {
        var options = new Dictionary<string, object>
        {
            ["client_id"] = "c8b7a6d5-1234-4abc-9def-001122334455", ["tenant_domain"] = "contoso.onmicrosoft.com", ["ext_groups"] = true,
            ["gatehouse_role_mappings"] = Json("""[{"group":"Sales","roles":["rol_AAAAAAAAAAAAAAAA"]},{"app_role":"Orders.Admin","roles":["admin"]}]"""),
        };
        var refused = await Api.PostAsJsonAsync("connections", new { name = "mapped-bad", strategy = "waad", options });
        Assert.Contains("options.gatehouse_role_mappings[1].roles[0] must be a role id (rol_ and 16 letters or digits)",
            await HttpAssert.ManagementErrorAsync(refused, 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Equal(0, (await HttpAssert.OkJsonAsync(await Api.GetAsync("connections?name=mapped-bad"))).GetArrayLength());

        options["gatehouse_role_mappings"] = Json("""[{"group":"Sales","roles":["rol_AAAAAAAAAAAAAAAA"]}]""");
        var created = await HttpAssert.OkJsonAsync(await Api.PostAsJsonAsync("connections", new { name = "mapped-good", strategy = "waad", options }), HttpStatusCode.Created);
        Assert.Equal("""[{"group":"Sales","roles":["rol_AAAAAAAAAAAAAAAA"]}]""", created.GetProperty("options").GetProperty("gatehouse_role_mappings").GetRawText());
    }

    [Fact]
    public async Task The_settings_need_their_objects_scopes_and_a_caller_with_one_scope_less_changes_nothing()
    {
        var id = await NewClientAsync();
        using var keysOnly = await tenant.ManagementWithScopesAsync("update:client_keys", "read:clients");
        Assert.Equal(HttpStatusCode.Forbidden, (await keysOnly.PatchAsJsonAsync("clients/" + id, new { gatehouse_access_rules = Json(Rules) })).StatusCode);
        using var reader = await tenant.ManagementWithScopesAsync("read:clients", "read:resource_servers");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PatchAsJsonAsync("clients/" + id, new { gatehouse_claims = Json(Claims) })).StatusCode);
        Assert.False((await HttpAssert.OkJsonAsync(await Api.GetAsync("clients/" + id))).TryGetProperty("gatehouse_access_rules", out _)); // nothing changed

        using var writer = await tenant.ManagementWithScopesAsync("update:clients");
        await HttpAssert.OkJsonAsync(await writer.PatchAsJsonAsync("clients/" + id, new { gatehouse_access_rules = Json(Rules) }));
        var api = (await tenant.PostAsync("resource-servers", new { identifier = "https://scoped-claims.example/", name = "Scoped" })).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.PatchAsJsonAsync("resource-servers/" + api, new { gatehouse_claims = Json("""{"namespace":"https://c.example/"}""") })).StatusCode);
    }
}

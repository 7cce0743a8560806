using System.Text.Json;
using Gatehouse.Core.Access;
using Gatehouse.Core.Claims;
using Gatehouse.Core.Membership;

namespace Gatehouse.Core.Tests;

/// <summary>The readers of issue 19's settings: every bad value named with its path, unknown members refused, and the group-to-role mapping itself.</summary>
public sealed class ExtensionSettingsReaderTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Theory]
    [InlineData("""{"namespace":"https://x.test/","access_token":["nope"]}""", "gatehouse_claims.access_token[0]", "must be one of groups, roles")]
    [InlineData("""{"namespace":"https://x.test/","colour":1}""", "gatehouse_claims.colour", "is not a known member")]
    [InlineData("""{"access_token":["roles"]}""", "gatehouse_claims.namespace", "is required")]
    [InlineData("""{"namespace":"https://tenant.auth0.com/"}""", "gatehouse_claims.namespace", "must not be on an Auth0 domain")]
    [InlineData("""{"namespace":"https://x.test/claims"}""", "gatehouse_claims.namespace", "ending in /")]
    [InlineData("""{"namespace":"urn:x/"}""", "gatehouse_claims.namespace", "http(s) URL")]
    [InlineData("""{"namespace":"https://x.test/","max_groups":201}""", "gatehouse_claims.max_groups", "from 1 to 200")]
    [InlineData("""{"namespace":"https://x.test/","groups":{"format":"guids"}}""", "gatehouse_claims.groups.format", "names, ids")]
    [InlineData("""{"namespace":"https://x.test/","groups":{"only":"Sales"}}""", "gatehouse_claims.groups.only", "array of strings")]
    [InlineData("""{"namespace":"https://x.test/","access_token":["roles","roles"]}""", "gatehouse_claims.access_token[1]", "listed twice")]
    [InlineData("[]", "gatehouse_claims", "must be an object")]
    public void Bad_claim_settings_are_named_by_path(string json, string path, string message)
    {
        var (settings, problems) = ClaimSettingsReader.Read(Json(json), forResourceServer: false);
        Assert.Null(settings);
        var problem = Assert.Single(problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.Equal($"Payload validation error: '{problem.Message}' on property {path}.", problem.ToPayloadError());
    }

    [Fact]
    public void A_resource_server_has_no_id_token_to_choose_claims_for_and_defaults_apply()
    {
        Assert.Equal("gatehouse_claims.id_token",
            Assert.Single(ClaimSettingsReader.Read(Json("""{"namespace":"https://x.test/","id_token":["upn"]}"""), forResourceServer: true).Problems).Path);
        var (settings, _) = ClaimSettingsReader.Read(Json("""{"namespace":"https://x.test/","access_token":["roles"]}"""), forResourceServer: true);
        Assert.Equal((GroupClaimFormat.Names, 100, 0), (settings!.GroupFormat, settings.MaxGroups, settings.IdToken.Count));
        Assert.Null(ClaimSettingsReader.Read(null, false).Settings);
    }

    [Theory]
    [InlineData("""{"roles":[]}""", "gatehouse_access_rules.roles", "must not be empty")]
    [InlineData("""{"roles":["reader"]}""", "gatehouse_access_rules.roles[0]", "must be a role id")]
    [InlineData("""{"tenants":["contoso.com"]}""", "gatehouse_access_rules.tenants[0]", "tenant id (GUID)")]
    [InlineData("""{"users":["x"]}""", "gatehouse_access_rules.users", "is not a known member")]
    [InlineData("""{"connections":"corp"}""", "gatehouse_access_rules.connections", "array of strings")]
    public void Bad_access_rules_are_named_by_path(string json, string path, string message)
    {
        var (rules, problems) = AccessRulesReader.Read(Json(json));
        Assert.Null(rules);
        var problem = Assert.Single(problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"roles":["rol_AAAAAAAAAAAAAAAA"]}]""", "m[0]", "exactly one of group and app_role")]
    [InlineData("""[{"group":"Sales","app_role":"X","roles":["rol_AAAAAAAAAAAAAAAA"]}]""", "m[0]", "exactly one of group and app_role")]
    [InlineData("""[{"group":"Sales"}]""", "m[0].roles", "1 or more role ids")]
    [InlineData("""[{"group":"Sales","roles":["admin"]}]""", "m[0].roles[0]", "must be a role id")]
    [InlineData("""[{"group":"Sales","roles":["rol_AAAAAAAAAAAAAAAA"],"colour":1}]""", "m[0].colour", "is not a known member")]
    [InlineData("""{"group":"Sales"}""", "m", "must be an array")]
    public void Bad_role_mappings_are_named_by_path(string json, string path, string message)
    {
        var (mapping, problems) = RoleMappingReader.Read("m", Json(json));
        Assert.Null(mapping);
        var problem = Assert.Single(problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapping_matches_groups_by_id_or_display_name_and_app_roles_by_value_each_role_once()
    {
        var (mapping, problems) = RoleMappingReader.Read("m", Json("""
            [{"group":"5B7E0C1A-0000-4A3B-8C4D-000000000001","roles":["rol_AAAAAAAAAAAAAAAA"]},
             {"group":"sales west","roles":["rol_AAAAAAAAAAAAAAAA","rol_BBBBBBBBBBBBBBBB"]},
             {"app_role":"Orders.Admin","roles":["rol_CCCCCCCCCCCCCCCC"]},
             {"app_role":"orders.admin","roles":["rol_DDDDDDDDDDDDDDDD"]}]
            """));
        Assert.Empty(problems);
        var profile = DirectoryProfile.Empty with
        {
            Groups = [new("5b7e0c1a-0000-4a3b-8c4d-000000000001", "Sales"), new("5b7e0c1a-0000-4a3b-8c4d-000000000002", "Sales West")],
            AppRoles = ["Orders.Admin"],
        };
        Assert.Equal(["rol_AAAAAAAAAAAAAAAA", "rol_BBBBBBBBBBBBBBBB", "rol_CCCCCCCCCCCCCCCC"], mapping!.Map(profile));
        Assert.Empty(mapping.Map(DirectoryProfile.Empty));
        Assert.Equal(4, RoleMappingReader.RoleIds(mapping).Count);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Core.Membership;

namespace Gatehouse.AzureAd.Tests;

/// <summary><c>gatehouse_role_mappings</c>: typed, validated with the options, and what a login stored read back as a directory profile.</summary>
public sealed class RoleMappingOptionTests : WaadTestBase
{
    private const string Rule = """[{"group":"Sales","roles":["rol_AAAAAAAAAAAAAAAA"]},{"app_role":"Gatehouse.Admin","roles":["rol_BBBBBBBBBBBBBBBB"]}]""";

    private IReadOnlyList<string> Validate(JsonNode options) => Strategy.ValidateOptions(JsonSerializer.SerializeToElement(options));

    [Fact]
    public void A_mapping_is_parsed_into_the_options_when_groups_are_fetched_and_kept()
    {
        var options = With(BriefPayload(), ("ext_groups", true), ("gatehouse_role_mappings", JsonNode.Parse(Rule)));
        Assert.Empty(Validate(options));
        var parsed = WaadOptionsParser.Parse(JsonSerializer.SerializeToElement(options), Defaults).Options!;
        Assert.Equal(2, parsed.RoleMapping.Rules.Count);
        Assert.Equal(RoleMappingSource.AppRole, parsed.RoleMapping.Rules[1].Source);
        Assert.True(WaadOptionsParser.Parse(JsonSerializer.SerializeToElement(BriefPayload()), Defaults).Options!.RoleMapping.IsEmpty);
    }

    [Theory]
    [InlineData(false, null, "options.gatehouse_role_mappings maps groups: it needs options.ext_groups")]
    [InlineData(true, "group_ids", "options.gatehouse_role_mappings maps groups")]
    [InlineData(true, "roles", "options.gatehouse_role_mappings maps app roles")]
    public void A_mapping_needs_what_it_reads_stored(bool extGroups, string? nonPersistent, string expected)
    {
        var options = With(BriefPayload(), ("ext_groups", extGroups), ("gatehouse_role_mappings", JsonNode.Parse(Rule)),
            ("non_persistent_attrs", nonPersistent is null ? null : new JsonArray(nonPersistent)));
        Assert.Contains(Validate(options), p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_rule_is_named_by_its_path()
    {
        var options = With(BriefPayload(), ("ext_groups", true), ("gatehouse_role_mappings", JsonNode.Parse("""[{"group":"Sales","roles":["admin"]}]""")));
        Assert.Contains("options.gatehouse_role_mappings[0].roles[0] must be a role id (rol_ and 16 letters or digits)", Validate(options));
    }

    [Fact]
    public void The_directory_profile_is_read_from_the_stored_attributes_groups_and_ids_side_by_side()
    {
        var attributes = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["groups"] = new[] { "Sales", "5b7e0c1a-0000-4a3b-8c4d-000000000009" },
            ["group_ids"] = new[] { "5b7e0c1a-0000-4a3b-8c4d-000000000001", "5b7e0c1a-0000-4a3b-8c4d-000000000009" },
            ["groups_truncated"] = true,
            ["roles"] = new[] { "Gatehouse.Admin" },
            ["upn"] = "adele@contoso.test", ["tenantid"] = "t", ["oid"] = "o", ["job_title"] = "Buyer", ["department"] = "Sales",
        });
        var profile = WaadDirectoryProfile.Read(attributes);
        Assert.Equal([new DirectoryGroup("5b7e0c1a-0000-4a3b-8c4d-000000000001", "Sales"), new DirectoryGroup("5b7e0c1a-0000-4a3b-8c4d-000000000009", null)], profile.Groups);
        Assert.True(profile.GroupsIncomplete);
        Assert.Equal(("adele@contoso.test", "t", "o", "Buyer", "Sales"), (profile.Upn, profile.TenantId, profile.ObjectId, profile.JobTitle, profile.Department));
        Assert.Equal(["Gatehouse.Admin"], profile.AppRoles);
        Assert.Equal(DirectoryProfile.Empty, WaadDirectoryProfile.Read(null));
    }
}

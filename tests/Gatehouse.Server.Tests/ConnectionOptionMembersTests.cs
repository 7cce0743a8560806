using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests;

/// <summary>
/// Connection options are typed records that refuse members they do not declare (docs/waad.md, "Options"): an unknown
/// member is a 400 in Auth0's words and stores nothing, while every option of Auth0's set, acted on or not, is kept and
/// read back exactly as sent.
/// </summary>
public sealed class ConnectionOptionMembersTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private HttpClient Api => tenant.Management;

    [Fact]
    public async Task An_unknown_database_option_is_refused_in_auth0_words_and_nothing_is_stored()
    {
        var snapshot = await tenant.SnapshotAsync();

        var message = await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("connections",
            new { name = "typo-db", strategy = "auth0", options = new { requires_username = true, brute_force_protecton = false } }), 400, "invalid_body");

        Assert.Equal("Payload validation error: 'Additional properties not allowed: brute_force_protecton' on property options.", message);
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
    }

    [Fact]
    public async Task An_unknown_waad_option_in_a_patch_is_refused_and_the_stored_options_stay_as_they_were()
    {
        var created = await tenant.PostAsync("connections", new
        {
            name = "typo-waad",
            strategy = "waad",
            options = new { tenant_domain = "contoso.example", client_id = "c8b7a6d5-1234-4abc-9def-001122334455" },
        });
        var id = created.GetProperty("id").GetString()!;
        var snapshot = await tenant.SnapshotAsync();

        var message = await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync("connections/" + id, new
        {
            options = new { tenant_domain = "contoso.example", client_id = "c8b7a6d5-1234-4abc-9def-001122334455", ext_grups = true, ext_profile = "yes" },
        }), 400, "invalid_body");

        Assert.Equal("Payload validation error: 'options.ext_profile must be a boolean; options.ext_grups is not a known waad option' on property options.", message);
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
    }

    [Theory]
    [InlineData("auth0", """
        {"requires_username":true,"passwordPolicy":null,"customScripts":{"login":"function (u, p, cb) {}"},"mfa":{"active":true},
         "precedence":["email","username"],"upstream_params":[1,{"a":null}],"password_history":null,"strategy_version":2,"realm_fallback":false}
        """)]
    [InlineData("waad", """
        {"tenant_domain":"contoso.example","client_id":"c8b7a6d5-1234-4abc-9def-001122334455","use_wsfed":false,"waad_protocol":"openid-connect",
         "thumbprints":["a1b2c3"],"upstream_params":{"prompt":{"value":"login"}},"ext_admin":null,"ext_city":false,"granted":true,
         "federated_connections_access_tokens":{"active":false},"cert_rollover_notification":"ops@contoso.example","domain_aliases":[],"max_groups_to_retrieve":"0250"}
        """)]
    public async Task Options_kept_but_not_acted_on_read_back_exactly_as_sent(string strategy, string options)
    {
        var sent = JsonNode.Parse(options)!;
        var created = await tenant.PostAsync("connections", new { name = "kept-" + strategy, strategy, options = sent });

        var read = await HttpAssert.OkJsonAsync(await Api.GetAsync("connections/" + created.GetProperty("id").GetString()));

        Assert.Equal(sent.ToJsonString(), JsonSerializer.Serialize(read.GetProperty("options")));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Security;

/// <summary>
/// Issue 14, finding 8: a common-endpoint connection lets in only the tenants it names (its tenantId / tenant_domain /
/// domain and gatehouse_allowed_tenants); a user of another tenant is refused before anything is provisioned, and an
/// email is never marked verified on the word of a tenant nobody allowed. Mallory (Fabrikam) carries Adele's (Contoso)
/// mail address.
/// </summary>
public sealed class WaadCommonEndpointTests(WaadUpstreamFixture fixture) : IClassFixture<WaadUpstreamFixture>
{
    private static readonly string AdelePassword = DemoDirectory.PasswordOf(DemoDirectory.Adele);

    private static Dictionary<string, object?> CommonOptions(params (string Name, object? Value)[] extra)
    {
        var options = new Dictionary<string, object?>
        {
            ["client_id"] = WaadUpstreamFixture.MultiTenantAppId, ["useCommonEndpoint"] = true,
            ["should_trust_email_verified_connection"] = "always_set_emails_as_verified",
        };
        foreach (var (name, value) in extra)
            options[name] = value;
        return options;
    }

    [Fact]
    public async Task A_user_of_a_tenant_the_connection_does_not_name_is_refused_and_not_provisioned()
    {
        var id = await fixture.CreateWaadAsync("common-contoso", CommonOptions(("tenant_domain", DemoDirectory.TenantDomain)));

        var refused = await fixture.LoginAsync("common-contoso", WaadUpstreamFixture.Mallory, WaadUpstreamFixture.MalloryPassword);

        var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("access_denied", body.GetProperty("error").GetString());
        Assert.Equal(WaadRefusals.TenantNotAllowedDescription, body.GetProperty("error_description").GetString());
        Assert.Empty(await fixture.UsersOfAsync(id));
        var failure = (await fixture.Server.LogsOfTypeAsync("f")).First(e => e.ConnectionId == id);
        Assert.Contains($"tenant not allowed: id_token tid {WaadUpstreamFixture.FabrikamTenantId}", failure.Description + " " + failure.Details, StringComparison.Ordinal);

        // The tenant it names gets in, with its emails trusted as configured.
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync("common-contoso", DemoDirectory.Adele, AdelePassword));
        var adele = Assert.Single(await fixture.UsersOfAsync(id));
        Assert.Equal((DemoDirectory.Adele, true), (adele.Email, adele.EmailVerified));
    }

    [Fact]
    public async Task Allowed_tenants_may_be_named_by_id_or_by_verified_domain()
    {
        await fixture.CreateWaadAsync("common-by-id", CommonOptions(("gatehouse_allowed_tenants", new[] { WaadUpstreamFixture.FabrikamTenantId })));
        await fixture.CreateWaadAsync("common-by-domain", CommonOptions(("gatehouse_allowed_tenants", new[] { WaadUpstreamFixture.FabrikamVerifiedDomain })));

        await HttpAssert.OkJsonAsync(await fixture.LoginAsync("common-by-id", WaadUpstreamFixture.Mallory, WaadUpstreamFixture.MalloryPassword));
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync("common-by-domain", WaadUpstreamFixture.Mallory, WaadUpstreamFixture.MalloryPassword));
        var notListed = await fixture.LoginAsync("common-by-domain", DemoDirectory.Adele, AdelePassword);
        Assert.Equal(HttpStatusCode.Forbidden, notListed.StatusCode);
    }

    [Fact]
    public async Task A_connection_open_to_any_tenant_never_marks_emails_verified()
    {
        var message = await HttpAssert.ManagementErrorAsync(
            await fixture.Management.PostAsJsonAsync("connections", new { name = "common-any-trusting", strategy = "waad", options = CommonOptions() }),
            400, "invalid_body");
        Assert.Contains("options.should_trust_email_verified_connection must be never_set_emails_as_verified when options.useCommonEndpoint is true", message, StringComparison.Ordinal);

        var id = await fixture.CreateWaadAsync("common-any", CommonOptions(("should_trust_email_verified_connection", "never_set_emails_as_verified")));
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync("common-any", WaadUpstreamFixture.Mallory, WaadUpstreamFixture.MalloryPassword));
        var mallory = Assert.Single(await fixture.UsersOfAsync(id));
        Assert.Equal((DemoDirectory.Adele, false), (mallory.Email, mallory.EmailVerified));
    }
}

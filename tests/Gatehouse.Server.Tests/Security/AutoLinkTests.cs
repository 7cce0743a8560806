using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Server.Tests.Security;

/// <summary>
/// The tenant setting gatehouse_auto_link_upstream_accounts: the same Azure account (tid and oid) signing in through
/// two connections of the tenant is one user, linked at its first login through the second, with a typed audit
/// event; never two different oids, never a database user by its email (two tenants with one oid: the Core tests'
/// AutoLinkProvisioningTests, the emulator keeps one user per object id).
/// </summary>
public sealed class AutoLinkTests(WaadUpstreamFixture fixture) : IClassFixture<WaadUpstreamFixture>, IAsyncLifetime
{
    private const string Setting = "gatehouse_auto_link_upstream_accounts";
    private const string Password = "P@ssw0rd-linked";

    public async Task InitializeAsync() =>
        (await fixture.Management.PatchAsJsonAsync("tenants/settings", new Dictionary<string, object> { [Setting] = true })).EnsureSuccessStatusCode();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Dictionary<string, object?> Contoso() => new()
    {
        ["tenant_domain"] = DemoDirectory.TenantDomain, ["client_id"] = DemoDirectory.NativeAppId, ["app_id"] = DemoDirectory.WebApiAppIdUri,
    };

    /// <summary>A user of the emulator's tenant (Contoso unless said) that no other test signs in with.</summary>
    private string Seed(string oid, string name, string tenantId = DemoDirectory.TenantId, string domain = DemoDirectory.VerifiedDomain)
    {
        var upn = $"{name}@{domain}";
        fixture.Emulator.Directory.UpsertUser(new SeedUser
        {
            Id = oid, TenantId = tenantId, UserPrincipalName = upn, Password = Password, DisplayName = name, Mail = upn,
        });
        return upn;
    }

    private async Task<string> SubjectAsync(string realm, string username)
    {
        var tokens = await HttpAssert.OkJsonAsync(await fixture.LoginAsync(realm, username, Password));
        return new JsonWebToken(tokens.GetProperty("id_token").GetString()).Subject;
    }

    private Task<User?> UserAsync(string userId) => fixture.Server.Store.GetUserAsync(userId, CancellationToken.None);

    [Fact]
    public async Task The_same_azure_account_through_a_second_connection_signs_the_first_user_in()
    {
        var upn = Seed("0a1b2c3d-0000-4000-8000-00000000a001", "auto.linked");
        await fixture.CreateWaadAsync("auto-first", Contoso());
        var second = await fixture.CreateWaadAsync("auto-second", Contoso());

        var user = await SubjectAsync("auto-first", upn);
        Assert.Equal(user, await SubjectAsync("auto-second", upn));
        Assert.Equal(user, await SubjectAsync("auto-second", upn));

        var stored = (await UserAsync(user))!;
        Assert.Equal(["auto-first", "auto-second"], stored.Identities.Select(i => i.Connection));
        Assert.Equal(3, stored.LoginsCount);
        Assert.Empty(await fixture.UsersOfAsync(second)); // its row is the linked account, listed nowhere
        var linked = Assert.Single(await fixture.Server.LogsOfTypeAsync("gatehouse_account_linked"), e => e.UserId == user);
        Assert.Equal(second, linked.ConnectionId);
        Assert.Contains("auto-second", linked.Details?.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_different_accounts_of_one_tenant_stay_two_users()
    {
        var first = Seed("0a1b2c3d-0000-4000-8000-00000000b001", "oid.first");
        var other = Seed("0a1b2c3d-0000-4000-8000-00000000b002", "oid.second");
        await fixture.CreateWaadAsync("oid-first", Contoso());
        await fixture.CreateWaadAsync("oid-second", Contoso());

        var one = await SubjectAsync("oid-first", first);
        var two = await SubjectAsync("oid-second", other);

        Assert.NotEqual(one, two);
        Assert.Single((await UserAsync(one))!.Identities);
        Assert.Single((await UserAsync(two))!.Identities);
    }

    [Fact]
    public async Task A_database_user_with_the_same_email_is_never_linked()
    {
        var upn = Seed("0a1b2c3d-0000-4000-8000-00000000d001", "mail.same");
        var database = (await fixture.Tenant.PostAsync("users", new
        {
            connection = TestTenant.Connection, email = upn, password = "Database-Passw0rd!", email_verified = true,
        })).GetProperty("user_id").GetString()!;
        await fixture.CreateWaadAsync("mail-contoso", Contoso());

        var azure = await SubjectAsync("mail-contoso", upn);

        Assert.NotEqual(database, azure);
        Assert.Single((await UserAsync(database))!.Identities);
        Assert.Single((await UserAsync(azure))!.Identities);
    }

    [Fact]
    public async Task The_setting_is_a_boolean_and_off_unless_set()
    {
        var upn = Seed("0a1b2c3d-0000-4000-8000-00000000e001", "off.twice");
        var before = await fixture.Tenant.SnapshotAsync();
        await HttpAssert.ManagementErrorAsync(
            await fixture.Management.PatchAsJsonAsync("tenants/settings", new Dictionary<string, object> { [Setting] = "yes" }), 400, "invalid_body");
        Assert.Equal(before, await fixture.Tenant.SnapshotAsync());
        var settings = await HttpAssert.OkJsonAsync(await fixture.Management.GetAsync("tenants/settings"));
        Assert.True(settings.GetProperty(Setting).GetBoolean());

        (await fixture.Management.PatchAsJsonAsync("tenants/settings", new Dictionary<string, object> { [Setting] = false })).EnsureSuccessStatusCode();
        try
        {
            await fixture.CreateWaadAsync("off-first", Contoso());
            await fixture.CreateWaadAsync("off-second", Contoso());
            Assert.NotEqual(await SubjectAsync("off-first", upn), await SubjectAsync("off-second", upn));
        }
        finally
        {
            (await fixture.Management.PatchAsJsonAsync("tenants/settings", new Dictionary<string, object> { [Setting] = true })).EnsureSuccessStatusCode();
        }
    }
}

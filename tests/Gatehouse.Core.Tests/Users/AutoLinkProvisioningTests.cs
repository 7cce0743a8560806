using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tests.Fakes;
using Gatehouse.Core.Users;

namespace Gatehouse.Core.Tests.Users;

/// <summary>
/// Automatic account linking in the provisioner: only the same account (the same external key, which for Azure AD is
/// tid and oid together) of the same provider, only when the provider names the account, only when the tenant asks.
/// </summary>
public sealed class AutoLinkProvisioningTests : IDisposable
{
    private const string TenantA = "11111111-1111-4111-8111-111111111111";
    private const string TenantB = "22222222-2222-4222-8222-222222222222";
    private const string Oid1 = "aaaaaaaa-0000-4000-8000-000000000001";
    private const string Oid2 = "aaaaaaaa-0000-4000-8000-000000000002";
    private readonly TestWorld world = new();
    private readonly Connection first;
    private readonly Connection second;

    public AutoLinkProvisioningTests()
    {
        first = world.AddConnection("first", "fake");
        second = world.AddConnection("second", "fake");
        SetAutoLink(true);
    }

    public void Dispose() => world.Dispose();

    private void SetAutoLink(bool on)
    {
        var tenant = world.Store.GetTenantSettingsAsync(CancellationToken.None).GetAwaiter().GetResult()!;
        var extra = JsonSerializer.SerializeToElement(new Dictionary<string, object> { [AccountLinks.AutoLinkSetting] = on });
        world.Store.SaveTenantSettingsAsync(tenant with { Extra = extra }, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static UpstreamIdentity Identity(string tid, string oid, string provider = "fake", bool namesAccount = true) =>
        new(provider, oid, $"{tid}/{oid}", null, false, "Someone", null, null, null, JsonSerializer.SerializeToElement(new { }), UpstreamTokens.None,
            RootAttributesPolicy.OnEachLogin)
        {
            Account = namesAccount ? new UpstreamAccount(tid, oid) : null,
        };

    private async Task<User> ProvisionAsync(Connection connection, UpstreamIdentity identity)
    {
        var provisioner = new FederatedUserProvisioner(world.Store, world.Protector, world.Time, world.Audit);
        var result = await provisioner.ProvisionAsync(connection, identity, "198.51.100.1", CancellationToken.None);
        return Assert.IsType<ProvisioningResult.Provisioned>(result).User;
    }

    [Fact]
    public async Task The_same_tenant_and_object_id_through_another_connection_is_the_same_user()
    {
        var user = await ProvisionAsync(first, Identity(TenantA, Oid1));
        var again = await ProvisionAsync(second, Identity(TenantA, Oid1));

        Assert.Equal(user.UserId, again.UserId);
        Assert.Equal(["first", "second"], again.Identities.Select(i => i.Connection));
        Assert.Equal(again.UserId, (await world.Store.FindUserByExternalKeyAsync(second.Id, $"{TenantA}/{Oid1}", CancellationToken.None))!.LinkedTo);
        var logs = await world.Store.ListLogsAsync(new LogQuery(new Filter.Match("type", "gatehouse_account_linked", MatchKind.Exact), null, PageRequest.All), CancellationToken.None);
        Assert.Equal(user.UserId, Assert.Single(logs.Items).UserId);
    }

    [Theory]
    [InlineData(TenantA, Oid2)] // another person of the same tenant
    [InlineData(TenantB, Oid1)] // the same object id in another tenant
    public async Task Another_tenant_or_another_object_id_is_never_linked(string tid, string oid)
    {
        var user = await ProvisionAsync(first, Identity(TenantA, Oid1));
        var other = await ProvisionAsync(second, Identity(tid, oid));

        Assert.NotEqual(user.UserId, other.UserId);
        Assert.Null(other.LinkedTo);
        Assert.Single((await world.Store.GetUserAsync(user.UserId, CancellationToken.None))!.Identities);
    }

    [Fact]
    public async Task Nothing_is_linked_when_the_tenant_did_not_ask_or_the_provider_names_no_account_or_differs()
    {
        SetAutoLink(false);
        var user = await ProvisionAsync(first, Identity(TenantA, Oid1));
        Assert.NotEqual(user.UserId, (await ProvisionAsync(second, Identity(TenantA, Oid1))).UserId);

        SetAutoLink(true);
        var third = world.AddConnection("third", "fake");
        Assert.NotEqual(user.UserId, (await ProvisionAsync(third, Identity(TenantA, Oid1, namesAccount: false))).UserId);
        var fourth = world.AddConnection("fourth", "other");
        Assert.NotEqual(user.UserId, (await ProvisionAsync(fourth, Identity(TenantA, Oid1, provider: "other"))).UserId);
    }
}

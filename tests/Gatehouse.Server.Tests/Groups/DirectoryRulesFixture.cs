using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.BrowserSignIn;
using Gatehouse.Server.Tests.DeviceFlow;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Groups;

/// <summary>
/// <see cref="WaadDeviceFixture"/> (Gatehouse and the Azure AD emulator, a web app, a native app and a device app) plus
/// issue 19's settings: a waad connection <see cref="Connection"/> with nested groups whose group-to-role mapping gives
/// the role <c>sales</c> for the group Sales (Adele is in it only through Sales West) and <c>west</c> for Sales West (by
/// object id); an API that enforces RBAC with the <c>permissions</c> claim and chooses the roles and groups claims; and
/// access rules on all three apps that let in only holders of <c>sales</c>.
/// </summary>
public sealed class DirectoryRulesFixture : IAsyncLifetime
{
    public const string Connection = "contoso-mapped";
    public const string Api = "https://orders.example/api";
    public const string Ns = "https://gatehouse.example/claims/";

    public WaadDeviceFixture Device { get; } = new();

    public WaadBrowserFixture World => Device.World;

    public TestTenant Tenant => Device.Tenant;

    public AzureAdEmulator Emulator => World.Emulator;

    public string SalesRole { get; private set; } = "";

    public string WestRole { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Device.InitializeAsync();
        SalesRole = await RoleAsync("sales");
        WestRole = await RoleAsync("west");
        await Tenant.PostAsync("resource-servers", new
        {
            identifier = Api, name = "Orders API", allow_offline_access = true,
            scopes = new[] { new { value = "read:orders", description = "Read" }, new { value = "write:orders", description = "Write" } },
            enforce_policies = true, token_dialect = "access_token_authz",
            gatehouse_claims = new { @namespace = Ns, access_token = new[] { "roles", "groups" }, groups = new { prefix = "Sales" } },
        });
        await GrantAsync(SalesRole, "read:orders");
        await GrantAsync(WestRole, "write:orders");
        await Tenant.PostAsync("connections", new
        {
            name = Connection, strategy = "waad", enabled_clients = new[] { World.WebClientId, Tenant.NativeClientId, Device.ClientId },
            options = new
            {
                client_id = DemoDirectory.ConfidentialAppId, client_secret = DemoDirectory.ConfidentialSecret, tenant_domain = DemoDirectory.TenantDomain,
                ext_groups = true, ext_nested_groups = true, ext_profile = true,
                gatehouse_role_mappings = new object[]
                {
                    new { group = "Sales", roles = new[] { SalesRole } },
                    new { group = DemoDirectory.SalesWestGroupId, roles = new[] { WestRole } },
                },
            },
        });
        foreach (var client in new[] { World.WebClientId, Tenant.NativeClientId, Device.ClientId })
            (await Tenant.Management.PatchAsJsonAsync("clients/" + client, new { gatehouse_access_rules = new { roles = new[] { SalesRole } } })).EnsureSuccessStatusCode();
    }

    /// <summary>POST /roles answers 200, as Auth0's does.</summary>
    private async Task<string> RoleAsync(string name) =>
        (await HttpAssert.OkJsonAsync(await Tenant.Management.PostAsJsonAsync("roles", new { name }))).GetProperty("id").GetString()!;

    private async Task GrantAsync(string role, string permission) =>
        (await Tenant.Management.PostAsJsonAsync($"roles/{role}/permissions", new
        {
            permissions = new[] { new { resource_server_identifier = Api, permission_name = permission } },
        })).EnsureSuccessStatusCode();

    /// <summary>A membership change at Azure through the emulator's admin API, in Microsoft Graph's shape.</summary>
    public async Task SetMemberAsync(string groupId, string memberId, bool member)
    {
        using var admin = new HttpClient(Emulator.CreateTrustingHandler()) { BaseAddress = new Uri(Emulator.BaseUrl) };
        var response = member
            ? await admin.PostAsJsonAsync($"_emulator/groups/{groupId}/members/$ref",
                new Dictionary<string, string> { ["@odata.id"] = "https://graph.microsoft.com/v1.0/directoryObjects/" + memberId })
            : await admin.DeleteAsync($"_emulator/groups/{groupId}/members/{memberId}/$ref");
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await Device.DisposeAsync();
}

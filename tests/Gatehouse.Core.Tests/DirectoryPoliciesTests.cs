using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Membership;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tests.Fakes;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Core.Tests;

/// <summary>
/// Issue 19 on the token path, through the whole pipeline with a connection that declares a directory: groups mapped to
/// roles (<see cref="RoleMapping"/>, counted by RBAC), an application's access rules (<c>gatehouse_access_rules</c>) and
/// claims without code (<c>gatehouse_claims</c>), on the password and refresh grants.
/// </summary>
public sealed class DirectoryPoliciesTests : IDisposable
{
    private const string Audience = "https://orders.test/";
    private const string Ns = "https://claims.test/";
    private const string Tenant = "9188040d-6c67-4c5b-b112-36a304b66dad";
    private const string SalesId = "5b7e0c1a-0000-4a3b-8c4d-000000000001";
    private const string Reader = "rol_reader0000000001";
    private const string Writer = "rol_writer0000000001";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TestWorld _world = new();
    private DirectoryProfile _profile;

    public DirectoryPoliciesTests()
    {
        _world.AddClient("app", grantTypes: [GrantTypes.Password, GrantTypes.RefreshToken]);
        _world.AddConnection("corp", RecordingConnectionStrategy.Name, "app");
        _world.SetDefaultDirectory("corp");
        _world.AddApi(Audience, true, "read:orders", "write:orders");
        _world.Store.CreateRoleAsync(new Role(Reader, "reader", null, 0), Ct).GetAwaiter().GetResult();
        _world.Store.CreateRoleAsync(new Role(Writer, "writer", null, 0), Ct).GetAwaiter().GetResult();
        _world.Store.AddRolePermissionsAsync(Reader, [new(Audience, "read:orders")], Ct).GetAwaiter().GetResult();
        _world.Store.AddRolePermissionsAsync(Writer, [new(Audience, "write:orders")], Ct).GetAwaiter().GetResult();
        _profile = Profile(("Sales", SalesId));
        _world.Fake.Answer = (username, _) => new PasswordLoginResult.Authenticated(new UpstreamIdentity("corp", username, "tid/" + username,
            username, false, "Ann", null, null, null, JsonSerializer.SerializeToElement(new { }), UpstreamTokens.None, RootAttributesPolicy.OnEachLogin));
        _world.Fake.Profile = _ => _profile;
        _world.Fake.Mapping = new RoleMapping([
            new RoleMappingRule(RoleMappingSource.Group, SalesId, [Reader]),
            new RoleMappingRule(RoleMappingSource.AppRole, "Orders.Write", [Writer]),
        ]);
    }

    public void Dispose() => _world.Dispose();

    private static DirectoryProfile Profile(params (string Name, string Id)[] groups) =>
        new([.. groups.Select(g => new DirectoryGroup(g.Id, g.Name))], false, [], "ann@contoso.test", Tenant, "oid-ann", "Buyer", "Purchasing");

    private async Task SetApiAsync(object extra)
    {
        var api = (await _world.Store.GetResourceServerByIdentifierAsync(Audience, Ct))!;
        await _world.Store.UpdateResourceServerAsync(api with { Extra = JsonSerializer.SerializeToElement(extra) }, Ct);
    }

    private async Task SetClientAsync(object extra)
    {
        var client = (await _world.Store.GetClientAsync("app", Ct))!;
        await _world.Store.UpdateClientAsync(client with { Extra = JsonSerializer.SerializeToElement(extra) }, Ct);
    }

    private Task<TokenOutcome> LoginAsync(string scope = "openid offline_access read:orders write:orders") =>
        _world.TokenAsync(("grant_type", GrantTypes.Password), ("client_id", "app"), ("username", "ann@contoso.test"), ("password", "pw"),
            ("audience", Audience), ("scope", scope));

    private Task<TokenOutcome> RefreshAsync(string refreshToken) =>
        _world.TokenAsync(("grant_type", GrantTypes.RefreshToken), ("client_id", "app"), ("refresh_token", refreshToken));

    private static JsonWebToken Access(TokenOutcome outcome)
    {
        Assert.Null(outcome.Error);
        return new JsonWebToken(outcome.Response!.AccessToken);
    }

    private static List<string> Strings(JsonWebToken token, string claim) =>
        token.TryGetPayloadValue<List<string>>(claim, out var list) ? list : [];

    [Fact]
    public async Task Roles_mapped_from_groups_and_app_roles_count_for_enforce_policies_as_a_union_with_direct_roles()
    {
        await SetApiAsync(new { enforce_policies = true, token_dialect = "access_token_authz" });
        var first = Access(await LoginAsync());
        Assert.Equal(["read:orders"], Strings(first, "permissions")); // Sales → reader; no app role yet
        Assert.Equal("openid profile email offline_access read:orders", first.GetClaim("scope").Value);

        // A direct assignment adds to the mapped roles; an app role maps to another.
        var user = Assert.Single((await _world.Store.ListUsersAsync(new UserQuery(null, null, null, false, PageRequest.All), Ct)).Items);
        await _world.Store.AssignUserRolesAsync(user.UserId, [Reader], Ct); // also mapped: counted once
        _profile = _profile with { AppRoles = ["Orders.Write"] };
        Assert.Equal(["read:orders", "write:orders"], Strings(Access(await LoginAsync()), "permissions"));
    }

    [Fact]
    public async Task A_refresh_applies_the_mapping_to_what_the_last_login_saw_so_a_group_left_takes_its_roles_away()
    {
        await SetApiAsync(new { enforce_policies = true, token_dialect = "access_token_authz" });
        var login = await LoginAsync();
        Assert.Equal(["read:orders"], Strings(Access(login), "permissions"));

        _profile = Profile(("Marketing", "5b7e0c1a-0000-4a3b-8c4d-000000000002")); // the user's next login stored other groups
        var refreshed = await RefreshAsync(login.Response!.RefreshToken!);
        Assert.Empty(Strings(Access(refreshed), "permissions"));
        Assert.Equal("openid profile email offline_access", Access(refreshed).GetClaim("scope").Value);
    }

    [Fact]
    public async Task An_access_rule_on_groups_refuses_a_user_outside_them_with_access_denied_and_a_failed_login_event()
    {
        await SetClientAsync(new { gatehouse_access_rules = new { groups = new[] { "Finance" } } });
        var refused = await LoginAsync();
        Assert.Equal(("access_denied", 403), (refused.Error!.Error, refused.Error.Status));
        Assert.Contains("limited to users with some roles or groups", refused.Error.Description, StringComparison.Ordinal);
        var logged = await _world.Store.GetLogAsync(refused.LogId!, Ct);
        Assert.Equal("f", logged!.Type);
        Assert.Equal("ann@contoso.test", logged.UserName);
        Assert.Contains("access rule: roles_or_groups", logged.Details!.Value.GetRawText(), StringComparison.Ordinal);

        // One of the groups by display name (case-insensitive), or one of the roles (mapped from Sales), lets in.
        await SetClientAsync(new { gatehouse_access_rules = new { groups = new[] { "sales" } } });
        Assert.Null((await LoginAsync()).Error);
        await SetClientAsync(new { gatehouse_access_rules = new { groups = new[] { "Finance" }, roles = new[] { Reader } } });
        Assert.Null((await LoginAsync()).Error);
    }

    [Fact]
    public async Task Access_rules_on_connections_and_tenants_and_a_refresh_after_the_rule_changed()
    {
        await SetClientAsync(new { gatehouse_access_rules = new { connections = new[] { "corp" }, tenants = new[] { Tenant } } });
        var login = await LoginAsync();
        Assert.Null(login.Error);

        await SetClientAsync(new { gatehouse_access_rules = new { tenants = new[] { "00000000-0000-4000-8000-000000000001" } } });
        var refused = await RefreshAsync(login.Response!.RefreshToken!);
        Assert.Equal("access_denied", refused.Error!.Error);
        Assert.Contains("Azure AD tenants", refused.Error.Description, StringComparison.Ordinal);

        await SetClientAsync(new { gatehouse_access_rules = new { connections = new[] { "other" } } });
        Assert.Contains("connections", (await LoginAsync()).Error!.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chosen_claims_go_into_each_token_under_the_namespace_the_api_winning_a_claim_both_choose()
    {
        await SetApiAsync(new { gatehouse_claims = new { @namespace = "https://api.test/", access_token = new[] { "roles", "groups" } } });
        await SetClientAsync(new
        {
            gatehouse_claims = new { @namespace = Ns, access_token = new[] { "groups", "tid" }, id_token = new[] { "upn", "oid", "job_title", "department", "app_roles" } },
        });
        var outcome = await LoginAsync();
        var access = Access(outcome);
        Assert.Equal(["reader"], Strings(access, "https://api.test/roles"));
        Assert.Equal(["Sales"], Strings(access, "https://api.test/groups"));
        Assert.False(access.TryGetPayloadValue<object>(Ns + "groups", out _));
        Assert.Equal(Tenant, access.GetClaim(Ns + "tid").Value);

        var id = new JsonWebToken(outcome.Response!.IdToken!);
        Assert.Equal(("ann@contoso.test", "oid-ann", "Buyer", "Purchasing"),
            (id.GetClaim(Ns + "upn").Value, id.GetClaim(Ns + "oid").Value, id.GetClaim(Ns + "job_title").Value, id.GetClaim(Ns + "department").Value));
        Assert.False(id.TryGetPayloadValue<object>(Ns + "app_roles", out _)); // none: left out, never empty
        Assert.False(id.TryGetPayloadValue<object>("https://api.test/roles", out _));
    }

    [Fact]
    public async Task Groups_past_the_cap_are_left_out_for_an_explicit_overage_marker_and_filters_apply_first()
    {
        _profile = Profile([.. Enumerable.Range(1, 300).Select(i => ($"Project {i:D3}", $"7a8b9c0d-1e2f-4a3b-8c4d-00000000{i:x4}"))]);
        await SetClientAsync(new { gatehouse_claims = new { @namespace = Ns, access_token = new[] { "groups" }, max_groups = 50 } });
        var over = Access(await LoginAsync());
        Assert.True(over.TryGetPayloadValue<bool>(Ns + "groups_overage", out var overage) && overage);
        Assert.False(over.TryGetPayloadValue<object>(Ns + "groups", out _));

        await SetClientAsync(new { gatehouse_claims = new { @namespace = Ns, access_token = new[] { "groups" }, max_groups = 50, groups = new { prefix = "Project 00" } } });
        var filtered = Access(await LoginAsync());
        Assert.Equal(9, Strings(filtered, Ns + "groups").Count); // Project 001 .. 009
        Assert.False(filtered.TryGetPayloadValue<object>(Ns + "groups_overage", out _));

        await SetClientAsync(new { gatehouse_claims = new { @namespace = Ns, access_token = new[] { "groups" }, groups = new { format = "ids", only = new[] { "Project 300" } } } });
        Assert.Equal(["7a8b9c0d-1e2f-4a3b-8c4d-00000000012c"], Strings(Access(await LoginAsync()), Ns + "groups"));
    }

    [Fact]
    public async Task Groups_recent_logins_saw_are_kept_per_connection_for_suggestions_bounded_and_not_fed_by_refreshes()
    {
        var login = await LoginAsync();
        Assert.Equal(["Sales"], _world.RecentGroups.For("con_corp").Select(g => g.Group.DisplayName));

        _profile = Profile(("Marketing", "5b7e0c1a-0000-4a3b-8c4d-000000000002"));
        Assert.Null((await RefreshAsync(login.Response!.RefreshToken!)).Error);
        Assert.DoesNotContain(_world.RecentGroups.For("con_corp"), g => g.Group.DisplayName == "Marketing");
        Assert.Null((await LoginAsync()).Error);
        Assert.Equal(["Marketing", "Sales"], _world.RecentGroups.For("con_corp").Select(g => g.Group.DisplayName));

        _world.RecentGroups.Observe("con_big", [.. Enumerable.Range(0, 800).Select(i => new DirectoryGroup($"g{i:D4}", null))]);
        Assert.Equal(RecentGroups.PerConnection, _world.RecentGroups.For("con_big").Count);
        Assert.Empty(_world.RecentGroups.For("con_none"));
    }

    [Fact]
    public async Task Without_settings_no_role_or_directory_read_is_made()
    {
        _world.Store.Calls.Clear();
        var access = Access(await LoginAsync());
        Assert.DoesNotContain(nameof(IRoleStore.ListUserRolesAsync), _world.Store.Calls);
        Assert.DoesNotContain(nameof(IRoleStore.ListRolePermissionsAsync), _world.Store.Calls);
        Assert.DoesNotContain(access.Claims, c => c.Type.StartsWith("https://", StringComparison.Ordinal));
    }
}

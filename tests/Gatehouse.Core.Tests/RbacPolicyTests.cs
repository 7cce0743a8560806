using System.Text.Json;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tests.Fakes;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Core.Tests;

/// <summary>Auth0's RBAC on the token path (<see cref="RbacPolicy"/>): one rule every grant passes through.</summary>
public sealed class RbacPolicyTests : IDisposable
{
    private const string Audience = "https://orders.test/";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TestWorld _world = new();
    private readonly User _user;

    public RbacPolicyTests()
    {
        _world.AddClient("app", grantTypes: [GrantTypes.Password, GrantTypes.RefreshToken, GrantTypes.ClientCredentials]);
        _world.AddClient("m2m", "client_secret_post", "m2m-secret-value-long-enough", GrantTypes.ClientCredentials);
        var connection = _world.AddConnection("db", "auth0", "app");
        _world.SetDefaultDirectory("db");
        _user = _world.AddDatabaseUser(connection, "ann@example.com", "Corr3ct-Horse!");
        _world.AddApi(Audience, true, "read:orders", "write:orders", "delete:orders");
    }

    public void Dispose() => _world.Dispose();

    private async Task SetApiAsync(bool enforce, string? dialect = null)
    {
        var api = (await _world.Store.GetResourceServerByIdentifierAsync(Audience, Ct))!;
        var extra = new Dictionary<string, object> { ["enforce_policies"] = enforce };
        if (dialect is not null)
            extra["token_dialect"] = dialect;
        await _world.Store.UpdateResourceServerAsync(api with { Extra = JsonSerializer.SerializeToElement(extra) }, Ct);
    }

    private async Task<(JsonWebToken Access, TokenResponse Response)> LoginAsync(string scope)
    {
        var outcome = await _world.TokenAsync(("grant_type", GrantTypes.Password), ("client_id", "app"), ("username", "ann@example.com"),
            ("password", "Corr3ct-Horse!"), ("audience", Audience), ("scope", scope));
        Assert.Null(outcome.Error);
        return (new JsonWebToken(outcome.Response!.AccessToken), outcome.Response);
    }

    /// <summary>Exchanges a refresh token; returns the new access token and the rotated refresh token.</summary>
    private async Task<(JsonWebToken Access, string RefreshToken)> RefreshAsync(string refreshToken)
    {
        var outcome = await _world.TokenAsync(("grant_type", GrantTypes.RefreshToken), ("client_id", "app"), ("refresh_token", refreshToken));
        Assert.Null(outcome.Error);
        return (new JsonWebToken(outcome.Response!.AccessToken), outcome.Response.RefreshToken!);
    }

    private static string Scope(JsonWebToken token) => token.GetClaim("scope").Value;

    private static List<string> Permissions(JsonWebToken token) =>
        token.TryGetPayloadValue<List<string>>("permissions", out var list) ? list : [];

    [Fact]
    public async Task Without_enforce_policies_every_requested_scope_the_api_defines_is_granted_and_permissions_are_not_read()
    {
        await SetApiAsync(enforce: false, "access_token_authz");
        _world.Store.Calls.Clear();
        var (access, _) = await LoginAsync("openid read:orders write:orders");
        Assert.Equal("openid profile email read:orders write:orders", Scope(access));
        Assert.False(access.TryGetPayloadValue<object>("permissions", out _)); // only with RBAC on
        Assert.DoesNotContain(nameof(IRoleStore.ListEffectivePermissionsAsync), _world.Store.Calls);
    }

    [Fact]
    public async Task With_enforce_policies_scopes_are_the_requested_ones_the_user_holds_read_in_one_store_call()
    {
        await SetApiAsync(enforce: true);
        var role = await _world.Store.CreateRoleAsync(new Role("rol_reader0000000001", "reader", null, 0), Ct);
        await _world.Store.AddRolePermissionsAsync(role.Id, [new(Audience, "read:orders")], Ct);
        await _world.Store.AssignUserRolesAsync(_user.UserId, [role.Id], Ct);
        await _world.Store.AddUserPermissionsAsync(_user.UserId, [new(Audience, "delete:orders")], Ct);

        _world.Store.Calls.Clear();
        var (access, response) = await LoginAsync("openid offline_access read:orders write:orders delete:orders");
        Assert.Equal("openid profile email offline_access read:orders delete:orders", Scope(access));
        Assert.Equal(Scope(access), response.Scope); // differs from the request, so the response says what was granted
        Assert.Single(_world.Store.Calls, c => c == nameof(IRoleStore.ListEffectivePermissionsAsync));
        Assert.Empty(Permissions(access)); // dialect access_token: no permissions claim
        Assert.Equal("JWT", access.Typ);

        // No API scope asked for means every API scope, narrowed the same way.
        Assert.Equal("openid profile email read:orders delete:orders", Scope((await LoginAsync("openid")).Access));
    }

    [Fact]
    public async Task A_user_without_permissions_gets_only_oidc_scopes()
    {
        await SetApiAsync(enforce: true);
        var (access, _) = await LoginAsync("openid read:orders");
        Assert.Equal("openid profile email", Scope(access));
    }

    [Fact]
    public async Task The_authz_dialect_carries_every_permission_on_the_api_whatever_was_requested()
    {
        await SetApiAsync(enforce: true, "access_token_authz");
        await _world.Store.AddUserPermissionsAsync(_user.UserId, [new(Audience, "write:orders"), new(Audience, "read:orders"), new("https://other.test/", "read:x")], Ct);
        var (access, _) = await LoginAsync("read:orders");
        Assert.Equal("read:orders", Scope(access));
        Assert.Equal(["read:orders", "write:orders"], Permissions(access));
        Assert.Equal("app", access.GetClaim("azp").Value);
    }

    [Fact]
    public async Task The_rfc9068_dialects_mint_at_jwt_with_client_id_and_jti()
    {
        await SetApiAsync(enforce: true, "rfc9068_profile_authz");
        await _world.Store.AddUserPermissionsAsync(_user.UserId, [new(Audience, "read:orders")], Ct);
        var (access, _) = await LoginAsync("read:orders write:orders");
        Assert.Equal("at+jwt", access.Typ);
        Assert.Equal("app", access.GetClaim("client_id").Value);
        Assert.False(string.IsNullOrEmpty(access.Id));
        Assert.False(access.TryGetPayloadValue<string>("azp", out _));
        Assert.False(access.TryGetPayloadValue<string>("gty", out _));
        Assert.Equal(["read:orders"], Permissions(access));
    }

    [Fact]
    public async Task A_refresh_applies_the_permissions_the_user_holds_at_that_moment()
    {
        await SetApiAsync(enforce: true, "access_token_authz");
        await _world.Store.AddUserPermissionsAsync(_user.UserId, [new(Audience, "read:orders"), new(Audience, "write:orders")], Ct);
        var (_, response) = await LoginAsync("offline_access read:orders write:orders");

        await _world.Store.RemoveUserPermissionsAsync(_user.UserId, [new(Audience, "write:orders")], Ct);
        var (refreshed, next) = await RefreshAsync(response.RefreshToken!);
        Assert.Equal("offline_access read:orders", Scope(refreshed));
        Assert.Equal(["read:orders"], Permissions(refreshed));

        // Given back, it returns at the next refresh: the refresh token keeps the scopes granted before RBAC.
        await _world.Store.AddUserPermissionsAsync(_user.UserId, [new(Audience, "write:orders")], Ct);
        var (again, _) = await RefreshAsync(next);
        Assert.Equal("offline_access read:orders write:orders", Scope(again));
        Assert.Equal(["read:orders", "write:orders"], Permissions(again));
    }

    [Fact]
    public async Task Client_credentials_are_governed_by_client_grants_not_user_permissions()
    {
        await SetApiAsync(enforce: true, "access_token_authz");
        await _world.Store.CreateClientGrantAsync(new ClientGrant("cgr_m2m", "m2m", Audience, ["read:orders", "write:orders"], 0), Ct);
        var outcome = await _world.TokenAsync(("grant_type", GrantTypes.ClientCredentials), ("client_id", "m2m"),
            ("client_secret", "m2m-secret-value-long-enough"), ("audience", Audience));
        Assert.Null(outcome.Error);
        var access = new JsonWebToken(outcome.Response!.AccessToken);
        Assert.Equal("read:orders write:orders", Scope(access));
        Assert.Empty(Permissions(access));
    }
}

using Gatehouse.Core.Grants;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Tests;

public class ScopePolicyTests
{
    private static ResourceServer Api(bool offline) => new("id", "https://api/", "api",
        [new("read:a", null), new("write:a", null)], "RS256", 3600, 7200, offline, true, false, null, 1);

    [Fact]
    public void No_api_scope_requested_grants_every_api_scope_and_returns_scope()
    {
        var decision = ScopePolicy.ForUser(["openid", "email"], Api(true));
        Assert.Equal(["openid", "email", "read:a", "write:a"], decision.Granted);
        Assert.True(decision.DiffersFromRequest);
    }

    [Fact]
    public void Requested_api_scopes_are_kept_and_unknown_ones_dropped()
    {
        var decision = ScopePolicy.ForUser(["openid", "profile", "read:a", "delete:everything"], Api(true));
        Assert.Equal(["openid", "profile", "read:a"], decision.Granted);
        Assert.True(decision.DiffersFromRequest);
    }

    [Fact]
    public void Only_openid_widens_to_profile_and_email()
    {
        Assert.Equal(["openid", "profile", "email"], ScopePolicy.ForUser(["openid"], null).Granted);
        Assert.Equal(["openid"], ScopePolicy.ForUser(["openid"], null, widenOpenId: false).Granted);
    }

    [Fact]
    public void Same_scopes_as_requested_means_no_scope_in_the_response()
    {
        var decision = ScopePolicy.ForUser(["openid", "profile", "read:a", "write:a"], Api(true));
        Assert.False(decision.DiffersFromRequest);
    }

    [Fact]
    public void Offline_access_needs_an_api_that_allows_it_or_no_api()
    {
        Assert.True(ScopePolicy.ForUser(["openid", "offline_access"], Api(true)).IssueRefreshToken);
        Assert.True(ScopePolicy.ForUser(["openid", "offline_access"], null).IssueRefreshToken);
        var refused = ScopePolicy.ForUser(["openid", "offline_access"], Api(false));
        Assert.False(refused.IssueRefreshToken);
        Assert.DoesNotContain("offline_access", refused.Granted);
        Assert.True(refused.DiffersFromRequest);
    }

    [Fact]
    public void Client_credentials_get_the_grant_scopes_narrowed_to_the_request()
    {
        var grant = new ClientGrant("g", "c", "https://api/", ["read:a", "write:a"], 1);
        Assert.Equal(["read:a", "write:a"], ScopePolicy.ForClient([], grant));
        Assert.Equal(["write:a"], ScopePolicy.ForClient(["write:a", "admin"], grant));
    }
}

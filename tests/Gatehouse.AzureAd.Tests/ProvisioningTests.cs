using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Core.Storage;

namespace Gatehouse.AzureAd.Tests;

public sealed class ProvisioningTests : WaadTestBase
{
    private static System.Text.Json.Nodes.JsonObject Options() => With(BriefPayload(), ("client_secret", null));

    [Fact]
    public async Task The_first_login_creates_an_auth0_shaped_user()
    {
        var user = AssertSuccess(await Login(Create(Options())));

        Assert.Equal($"waad|{StubAzure.Sub}", user.UserId);
        Assert.Equal("con_1", user.ConnectionId);
        Assert.Equal($"{StubAzure.TenantId}/{StubAzure.Oid}", user.ExternalKey);
        var identity = Assert.Single(user.Identities);
        Assert.Equal(("waad", StubAzure.Sub, "azure-native", false), (identity.Provider, identity.UserId, identity.Connection, identity.IsSocial));
        Assert.Equal(StubAzure.UserName, user.Email);     // no email claim: the UPN stands in...
        Assert.False(user.EmailVerified);                 // ...unverified
        Assert.Equal("Adele Vance", user.Name);
        Assert.Equal("adele", user.Nickname);
        Assert.Null(user.PasswordHash);
        Assert.Null(user.Username);
        Assert.Equal(StubAzure.UserName, Attr(user, "upn").GetString());
        Assert.Equal(StubAzure.TenantId.ToString(), Attr(user, "tenantid").GetString());
        Assert.Equal(StubAzure.Oid, Attr(user, "oid").GetString());
        // The login is counted in the same write that creates the user, and the result tells the grant not to count it again.
        Assert.Equal((1, "203.0.113.7", Time.GetUtcNow()), (user.LoginsCount, user.LastIp, user.LastLogin));
        Assert.Equal(1, Store.Creates);
        Assert.Equal(0, Store.Updates);
    }

    [Fact]
    public async Task Upstream_tokens_are_stored_only_encrypted_and_the_ext_flags_can_drop_them()
    {
        var user = AssertSuccess(await Login(Create(Options())));
        Assert.Equal($"enc[{UpstreamTokenPurposes.AccessToken}]:user-access-token", user.Identities[0].AccessTokenProtected);
        Assert.Equal($"enc[{UpstreamTokenPurposes.RefreshToken}]:refresh-token-1", user.Identities[0].RefreshTokenProtected);

        var other = AssertSuccess(await Login(Create(With(Options(), ("ext_access_token", false), ("ext_refresh_token", false)), "con_2", "second")));
        Assert.Null(other.Identities[0].AccessTokenProtected);
        Assert.Null(other.Identities[0].RefreshTokenProtected);
    }

    [Fact]
    public async Task Later_logins_update_the_same_user()
    {
        var connection = Create(Options());
        var first = AssertSuccess(await Login(connection));
        Time.Advance(TimeSpan.FromHours(1));
        Azure.TweakClaims = c => c["name"] = "Adele V.";
        var second = AssertSuccess(await Login(connection));

        Assert.Equal(first.UserId, second.UserId);
        Assert.Single(Store.Users);
        Assert.Equal((2, Time.GetUtcNow()), (second.LoginsCount, second.LastLogin)); // counted with the profile, one write
        Assert.Equal(1, Store.Updates);
        Assert.Equal(Time.GetUtcNow(), second.UpdatedAt);
        Assert.Equal("Adele V.", second.Name); // on_each_login by default
        Assert.Equal(first.CreatedAt, second.CreatedAt);
    }

    [Fact]
    public async Task On_first_login_keeps_root_attributes_and_never_on_login_does_not_set_them()
    {
        var connection = Create(With(Options(), ("set_user_root_attributes", "on_first_login")));
        AssertSuccess(await Login(connection));
        Azure.TweakClaims = c => c["name"] = "Changed";
        Assert.Equal("Adele Vance", AssertSuccess(await Login(connection)).Name);

        Azure.TweakClaims = null;
        var never = AssertSuccess(await Login(Create(With(Options(), ("set_user_root_attributes", "never_on_login")), "con_2", "never")));
        Assert.Null(never.Name);
        Assert.Null(never.Nickname);
    }

    [Fact]
    public async Task Userid_attribute_oid_keys_the_user_id_on_the_object_id()
    {
        var user = AssertSuccess(await Login(Create(With(Options(), ("userid_attribute", "oid")))));
        Assert.Equal($"waad|{StubAzure.Oid}", user.UserId);
    }

    [Fact]
    public async Task Email_verified_follows_the_trust_option_only_for_a_real_email()
    {
        Azure.TweakClaims = c => c["email"] = "adele@contoso.com";
        var trusted = AssertSuccess(await Login(Create(With(Options(), ("should_trust_email_verified_connection", "always_set_emails_as_verified")))));
        Assert.Equal(("adele@contoso.com", true), (trusted.Email, trusted.EmailVerified));

        Azure.TweakClaims = null; // UPN fallback is never verified
        var upn = AssertSuccess(await Login(Create(With(Options(), ("should_trust_email_verified_connection", "always_set_emails_as_verified")), "con_2", "c2")));
        Assert.False(upn.EmailVerified);
    }

    [Fact]
    public async Task A_concurrent_update_conflict_is_retried_on_a_fresh_read()
    {
        var connection = Create(Options());
        AssertSuccess(await Login(connection));
        Store.ConflictsToInject = 2;
        Azure.TweakClaims = c => c["name"] = "Adele V.";
        var user = AssertSuccess(await Login(connection));
        Assert.Equal("Adele V.", Store.Users.Single().Name);
        Assert.Equal(user.Version, Store.Users.Single().Version);
        Assert.Equal(0, Store.ConflictsToInject);
    }

    [Fact]
    public async Task Conflicts_that_never_end_still_let_the_login_succeed_with_the_stored_user()
    {
        // Dozens of simultaneous logins of one user keep overtaking each other; none of them may fail with a 500.
        var connection = Create(Options());
        var first = AssertSuccess(await Login(connection));
        Store.ConflictsToInject = 1_000;
        var user = AssertSuccess(await Login(connection));
        Assert.Equal(first.UserId, user.UserId);
        Assert.Single(Store.Users);
    }

    [Fact]
    public async Task Two_connections_to_one_tenant_hold_separate_users_with_the_same_external_key()
    {
        var native = AssertSuccess(await Login(Create(Options(), "con_native", "azure-native")));
        var web = AssertSuccess(await Login(Create(Options(), "con_web", "azure-web")));

        Assert.Equal($"waad|{StubAzure.Sub}", native.UserId);
        Assert.Equal($"waad|azure-web|{StubAzure.Sub}", web.UserId);
        Assert.Equal(native.ExternalKey, web.ExternalKey);
        Assert.Equal(StubAzure.Sub, web.Identities[0].UserId);

        var again = AssertSuccess(await Login(Create(Options(), "con_web", "azure-web")));
        Assert.Equal(web.UserId, again.UserId); // found by ExternalKey, id stable
    }

    [Fact]
    public async Task A_user_blocked_in_gatehouse_comes_back_unwritten_for_the_grant_to_refuse()
    {
        var connection = Create(Options());
        var user = AssertSuccess(await Login(connection));
        Store.Put(Store.Users.Single() with { Blocked = true });
        var before = Store.Users.Single();
        Time.Advance(TimeSpan.FromHours(1));
        var blocked = AssertSuccess(await Login(connection));
        Assert.True(blocked.Blocked); // the grant refuses it: the one "blocked" check (TokenPipelineTests)
        Assert.Equal(user.UserId, blocked.UserId);
        Assert.Equal((before.UpdatedAt, before.LoginsCount), (Store.Users.Single().UpdatedAt, Store.Users.Single().LoginsCount)); // nothing written
    }

    [Fact]
    public async Task An_email_owned_by_another_azure_user_of_the_connection_is_refused_not_overwritten()
    {
        Store.Put(new User("waad|old", "con_1", StubAzure.UserName, false, null, null, null, null, null, null, null, null,
            $"{StubAzure.TenantId}/deleted-and-recreated", [], null, null, null, false, Time.GetUtcNow(), Time.GetUtcNow(), null, null, 3, null, 1));
        var denied = AssertDenied(await Login(Create(Options())), 403, "access_denied");
        Assert.Equal("waad|old", denied.UserId);
        Assert.Single(Store.Users);
    }

    [Fact]
    public async Task No_user_is_written_when_the_upstream_exchange_fails_part_way()
    {
        Azure.OnDiscovery = null;
        Azure.PublishedKeys = []; // password accepted, but the key set cannot verify the token
        var result = await Login(Create(Options()));
        AssertDenied(result, 403, "access_denied");
        Assert.Empty(Store.Users);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Server.Tests;

/// <summary>
/// Auth0's account linking through the Management API (POST and DELETE /users/{id}/identities): the answers, a login
/// through the linked account signing the primary in, and the hostile cases, each changing nothing.
/// </summary>
public sealed class ManagementIdentitiesTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private const string Password = "Linked-Passw0rd!";
    private HttpClient Api => tenant.Management;

    private static string Path(string userId) => Uri.EscapeDataString(userId);

    private async Task<string> NewUserAsync(string email, string connection = TestTenant.Connection) =>
        (await tenant.PostAsync("users", new { connection, email, password = Password, name = "Name of " + email, user_metadata = new { mine = email } }))
        .GetProperty("user_id").GetString()!;

    private static string Plain(string userId) => userId["auth0|".Length..];

    private Task<HttpResponseMessage> LinkAsync(string primary, object body, HttpClient? caller = null) =>
        (caller ?? Api).PostAsJsonAsync($"users/{Path(primary)}/identities", body);

    private async Task<string> SubjectOfLoginAsync(string email, string password = Password)
    {
        var response = await tenant.TokenAsync(("grant_type", "password"), ("client_id", tenant.NativeClientId), ("username", email),
            ("password", password), ("scope", "openid"));
        var idToken = (await HttpAssert.OkJsonAsync(response)).GetProperty("id_token").GetString()!;
        return new JsonWebToken(idToken).Subject;
    }

    [Fact]
    public async Task Linking_answers_the_identities_and_a_login_as_the_secondary_signs_the_primary_in()
    {
        var primary = await NewUserAsync("link-primary@example.com");
        var secondary = await NewUserAsync("link-secondary@example.com");

        var linked = await HttpAssert.OkJsonAsync(await LinkAsync(primary, new { provider = "auth0", user_id = Plain(secondary) }), HttpStatusCode.Created);

        Assert.Equal(2, linked.GetArrayLength());
        Assert.Equal(Plain(primary), linked[0].GetProperty("user_id").GetString());
        Assert.Equal((Plain(secondary), "auth0", TestTenant.Connection, false), (linked[1].GetProperty("user_id").GetString(),
            linked[1].GetProperty("provider").GetString(), linked[1].GetProperty("connection").GetString(), linked[1].GetProperty("isSocial").GetBoolean()));
        Assert.Equal("link-secondary@example.com", linked[1].GetProperty("profileData").GetProperty("email").GetString());
        // The secondary is no user of its own any more: not found, not listed; the primary shows both identities.
        Assert.Equal("The user does not exist.", await HttpAssert.ManagementErrorAsync(await Api.GetAsync($"users/{Path(secondary)}"), 404, "inexistent_user"));
        Assert.DoesNotContain(secondary, (await HttpAssert.OkJsonAsync(await Api.GetAsync("users"))).EnumerateArray().Select(u => u.GetProperty("user_id").GetString()));
        Assert.Empty((await HttpAssert.OkJsonAsync(await Api.GetAsync("users-by-email?email=link-secondary@example.com"))).EnumerateArray());
        Assert.Equal(2, (await HttpAssert.OkJsonAsync(await Api.GetAsync($"users/{Path(primary)}"))).GetProperty("identities").GetArrayLength());

        Assert.Equal(primary, await SubjectOfLoginAsync("link-secondary@example.com"));

        // Unlinking answers what is left, and the secondary is a user again (without the metadata it had, as at Auth0).
        var left = await HttpAssert.OkJsonAsync(await Api.DeleteAsync($"users/{Path(primary)}/identities/auth0/{Plain(secondary)}"));
        Assert.Equal(Plain(primary), Assert.Single(left.EnumerateArray()).GetProperty("user_id").GetString());
        var again = await HttpAssert.OkJsonAsync(await Api.GetAsync($"users/{Path(secondary)}"));
        Assert.Equal("{}", again.GetProperty("user_metadata").GetRawText());
        Assert.Equal(secondary, await SubjectOfLoginAsync("link-secondary@example.com"));
    }

    [Fact]
    public async Task The_user_id_may_carry_its_provider_prefix_and_the_connection_id_must_be_the_secondarys()
    {
        var primary = await NewUserAsync("prefix-primary@example.com");
        var secondary = await NewUserAsync("prefix-secondary@example.com");
        var otherConnection = (await tenant.PostAsync("connections", new { name = "link-other-db", strategy = "auth0" })).GetProperty("id").GetString()!;
        var before = await tenant.SnapshotAsync();

        Assert.Equal("The user to link is not a user of this connection.", await HttpAssert.ManagementErrorAsync(
            await LinkAsync(primary, new { provider = "auth0", user_id = secondary, connection_id = otherConnection }), 400, "invalid_body"));
        Assert.Equal(before, await tenant.SnapshotAsync());

        await HttpAssert.OkJsonAsync(await LinkAsync(primary, new { provider = "auth0", user_id = secondary, connection_id = tenant.ConnectionId }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Hostile_links_are_refused_and_change_nothing()
    {
        var primary = await NewUserAsync("hostile-primary@example.com");
        var secondary = await NewUserAsync("hostile-secondary@example.com");
        var third = await NewUserAsync("hostile-third@example.com");
        await HttpAssert.OkJsonAsync(await LinkAsync(primary, new { provider = "auth0", user_id = Plain(secondary) }), HttpStatusCode.Created);
        var before = await tenant.SnapshotAsync();
        var primaryBefore = await tenant.Server.Store.GetUserAsync(primary, CancellationToken.None);

        Assert.Equal("Main identity and the new one are the same.", await HttpAssert.ManagementErrorAsync(
            await LinkAsync(third, new { provider = "auth0", user_id = Plain(third) }), 400, "invalid_body"));
        Assert.Equal("The user to link does not exist.", await HttpAssert.ManagementErrorAsync(
            await LinkAsync(third, new { provider = "auth0", user_id = "000000000000000000000000" }), 400, "invalid_body"));
        await HttpAssert.ManagementErrorAsync(await LinkAsync("auth0|nobody", new { provider = "auth0", user_id = Plain(third) }), 404, "inexistent_user");
        // Already linked (to anyone): Auth0's 409. A primary of linked accounts cannot become a secondary. A secondary is no primary.
        Assert.Equal("Specified identity already exists.", await HttpAssert.ManagementErrorAsync(
            await LinkAsync(third, new { provider = "auth0", user_id = Plain(secondary) }), 409, "identity_conflict"));
        Assert.Contains("linked accounts of its own", await HttpAssert.ManagementErrorAsync(
            await LinkAsync(third, new { provider = "auth0", user_id = Plain(primary) }), 400, "invalid_body"), StringComparison.Ordinal);
        await HttpAssert.ManagementErrorAsync(await LinkAsync(secondary, new { provider = "auth0", user_id = Plain(third) }), 404, "inexistent_user");
        // The provider names the secondary's: an auth0 user is not a waad user of the same id.
        await HttpAssert.ManagementErrorAsync(await LinkAsync(third, new { provider = "waad", user_id = Plain(secondary) }), 400, "invalid_body");
        // Bodies: unknown members, missing members, both forms at once, a token that is none.
        await HttpAssert.ManagementErrorAsync(await LinkAsync(third, new { provider = "auth0", user_id = Plain(secondary), extra = 1 }), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await LinkAsync(third, new { provider = "auth0" }), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await LinkAsync(third, new { user_id = true, provider = "auth0" }), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await LinkAsync(third, new { link_with = "x.y.z", provider = "auth0" }), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await LinkAsync(third, new { link_with = "not-a-token" }), 400, "invalid_body");
        // Unlinking the main identity, or one that is not linked here.
        Assert.Equal("Main identity cannot be removed from profile.", await HttpAssert.ManagementErrorAsync(
            await Api.DeleteAsync($"users/{Path(primary)}/identities/auth0/{Plain(primary)}"), 400, "invalid_body"));
        await HttpAssert.ManagementErrorAsync(await Api.DeleteAsync($"users/{Path(third)}/identities/auth0/{Plain(secondary)}"), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await Api.DeleteAsync($"users/{Path(secondary)}/identities/auth0/{Plain(secondary)}"), 404, "inexistent_user");

        Assert.Equal(before, await tenant.SnapshotAsync());
        Assert.Equal(primaryBefore!.Version, (await tenant.Server.Store.GetUserAsync(primary, CancellationToken.None))!.Version);
        Assert.Equal(primary, (await tenant.Server.Store.GetUserAsync(secondary, CancellationToken.None))!.LinkedTo);
    }

    [Fact]
    public async Task A_caller_with_read_users_only_or_only_its_own_identities_cannot_link_anyone()
    {
        var primary = await NewUserAsync("scope-primary@example.com");
        var secondary = await NewUserAsync("scope-secondary@example.com");
        using var reader = await tenant.ManagementWithScopesAsync("read:users");
        using var own = await tenant.ManagementWithScopesAsync("update:current_user_identities");
        var before = await tenant.SnapshotAsync();

        await HttpAssert.ManagementErrorAsync(await LinkAsync(primary, new { provider = "auth0", user_id = Plain(secondary) }, reader), 403, "insufficient_scope");
        await HttpAssert.ManagementErrorAsync(await reader.DeleteAsync($"users/{Path(primary)}/identities/auth0/{Plain(secondary)}"), 403, "insufficient_scope");
        // update:current_user_identities reaches only the token's own user (this token's is a client, no user), and never with provider + user_id.
        await HttpAssert.ManagementErrorAsync(await LinkAsync(primary, new { provider = "auth0", user_id = Plain(secondary) }, own), 403, "insufficient_scope");
        await HttpAssert.ManagementErrorAsync(await own.DeleteAsync($"users/{Path(primary)}/identities/auth0/{Plain(secondary)}"), 403, "insufficient_scope");

        Assert.Equal(before, await tenant.SnapshotAsync());
    }

    [Fact]
    public async Task Link_with_takes_an_id_token_of_the_secondary_issued_to_the_calling_client_only()
    {
        var primary = await NewUserAsync("with-primary@example.com");
        await NewUserAsync("with-secondary@example.com");
        var app = await tenant.PostAsync("clients", new
        {
            name = "Linking app", app_type = "regular_web", grant_types = new[] { "password", "client_credentials" },
        });
        var (clientId, secret) = (app.GetProperty("client_id").GetString()!, app.GetProperty("client_secret").GetString()!);
        (await Api.PatchAsJsonAsync($"connections/{tenant.ConnectionId}/clients", new[] { new { client_id = clientId, status = true } })).EnsureSuccessStatusCode();
        await tenant.PostAsync("client-grants", new { client_id = clientId, audience = tenant.Server.ManagementAudience, scope = new[] { "update:users" } });
        var idToken = (await HttpAssert.OkJsonAsync(await tenant.TokenAsync(("grant_type", "password"), ("client_id", clientId), ("client_secret", secret),
            ("username", "with-secondary@example.com"), ("password", Password), ("scope", "openid")))).GetProperty("id_token").GetString()!;
        var nativeIdToken = (await HttpAssert.OkJsonAsync(await tenant.TokenAsync(("grant_type", "password"), ("client_id", tenant.NativeClientId),
            ("username", "with-secondary@example.com"), ("password", Password), ("scope", "openid")))).GetProperty("id_token").GetString()!;
        var managementToken = (await HttpAssert.OkJsonAsync(await tenant.TokenAsync(("grant_type", "client_credentials"), ("client_id", clientId),
            ("client_secret", secret), ("audience", tenant.Server.ManagementAudience)))).GetProperty("access_token").GetString()!;
        using var caller = await tenant.Server.CreateManagementClientAsync(managementToken);
        var before = await tenant.SnapshotAsync();

        // Another client's id_token, or an access token, is no proof for this caller.
        await HttpAssert.ManagementErrorAsync(await LinkAsync(primary, new { link_with = nativeIdToken }, caller), 400, "invalid_body");
        await HttpAssert.ManagementErrorAsync(await LinkAsync(primary, new { link_with = managementToken }, caller), 400, "invalid_body");
        Assert.Equal(before, await tenant.SnapshotAsync());

        var linked = await HttpAssert.OkJsonAsync(await LinkAsync(primary, new { link_with = idToken }, caller), HttpStatusCode.Created);
        Assert.Equal("with-secondary@example.com", linked[1].GetProperty("profileData").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Linking_ends_the_secondarys_refresh_tokens_and_deleting_the_primary_deletes_it()
    {
        var primary = await NewUserAsync("end-primary@example.com");
        var secondary = await NewUserAsync("end-secondary@example.com");
        var refresh = (await HttpAssert.OkJsonAsync(await tenant.TokenAsync(("grant_type", "password"), ("client_id", tenant.NativeClientId),
            ("username", "end-secondary@example.com"), ("password", Password), ("scope", "openid offline_access"), ("audience", TestTenant.ApiAudience))))
            .GetProperty("refresh_token").GetString()!;

        await HttpAssert.OkJsonAsync(await LinkAsync(primary, new { provider = "auth0", user_id = Plain(secondary) }), HttpStatusCode.Created);

        await HttpAssert.OAuthErrorAsync(await tenant.TokenAsync(("grant_type", "refresh_token"), ("client_id", tenant.NativeClientId),
            ("refresh_token", refresh)), 403, "invalid_grant");
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"users/{Path(primary)}")).StatusCode);
        Assert.Null(await tenant.Server.Store.GetUserAsync(secondary, CancellationToken.None));
        await HttpAssert.OAuthErrorAsync(await tenant.TokenAsync(("grant_type", "password"), ("client_id", tenant.NativeClientId),
            ("username", "end-secondary@example.com"), ("password", Password), ("scope", "openid")), 403, "invalid_grant");
    }
}

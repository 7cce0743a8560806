using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.Database;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests;

public class TokenPipelineTests
{
    private const string Realm = GrantTypes.PasswordRealm;

    [Fact]
    public async Task Unknown_grant_type_and_missing_parameters_are_refused_before_any_lookup()
    {
        using var world = new TestWorld();
        world.Store.Calls.Clear();

        var unknown = await world.TokenAsync(("grant_type", "magic"), ("client_id", "x"));
        Assert.Equal(new OAuthError(400, "unsupported_grant_type", "Unsupported grant type: magic"), unknown.Error);
        var missing = await world.TokenAsync(("grant_type", "password"), ("client_id", "x"), ("username", "u"));
        Assert.Equal(OAuthError.MissingParameter("password"), missing.Error);
        var noGrant = await world.TokenAsync(("client_id", "x"));
        Assert.Equal(OAuthError.MissingParameter("grant_type"), noGrant.Error);

        Assert.Empty(world.Store.Calls);
    }

    [Fact]
    public async Task Legacy_ro_grant_is_not_served_at_the_token_endpoint()
    {
        using var world = new TestWorld();
        var outcome = await world.TokenAsync(("grant_type", GrantTypes.LegacyRo), ("client_id", "x"), ("username", "u"), ("password", "p"), ("connection", "c"));
        Assert.Equal("unsupported_grant_type", outcome.Error!.Error);
    }

    [Fact]
    public async Task Client_authentication_comes_before_the_grant_check_and_is_audited()
    {
        using var world = new TestWorld();
        world.AddClient("conf", "client_secret_post", "s3cret-value", GrantTypes.ClientCredentials);

        var wrong = await world.TokenAsync(("grant_type", "password"), ("client_id", "conf"), ("client_secret", "nope"), ("username", "u"), ("password", "p"));
        Assert.Equal(OAuthError.InvalidClient(), wrong.Error);
        var unknown = await world.TokenAsync(("grant_type", "password"), ("client_id", "ghost"), ("username", "u"), ("password", "p"));
        Assert.Equal(OAuthError.InvalidClient(), unknown.Error);

        Assert.Equal([LogTypes.FailedLogin, LogTypes.FailedLogin], world.Store.Logs.Select(l => l.Type));
        Assert.Equal("conf", world.Store.Logs[0].ClientId);
    }

    [Fact]
    public async Task Grant_type_must_be_allowed_for_the_client_before_the_connection_is_looked_up()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, GrantTypes.Password);
        world.Store.Calls.Clear();

        var outcome = await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "u"), ("password", "p"), ("realm", "missing"));

        Assert.Equal(new OAuthError(403, "unauthorized_client", $"Grant type '{Realm}' not allowed for the client."), outcome.Error);
        Assert.DoesNotContain(nameof(InMemoryStore.GetConnectionByNameAsync), world.Store.Calls);
    }

    [Fact]
    public async Task Public_clients_cannot_use_client_credentials()
    {
        using var world = new TestWorld();
        world.AddClient("pub", "none", null, GrantTypes.ClientCredentials);
        var outcome = await world.TokenAsync(("grant_type", "client_credentials"), ("client_id", "pub"), ("audience", "https://api/"));
        Assert.Equal("unauthorized_client", outcome.Error!.Error);
    }

    [Fact]
    public async Task Third_party_clients_cannot_use_the_password_grants()
    {
        using var world = new TestWorld();
        var client = world.AddClient("third", "none", null, GrantTypes.Password);
        await world.Store.UpdateClientAsync(client with { IsFirstParty = false }, CancellationToken.None);
        var outcome = await world.TokenAsync(("grant_type", "password"), ("client_id", "third"), ("username", "u"), ("password", "p"));
        Assert.Equal(OAuthError.UnauthorizedClient("password"), outcome.Error);
    }

    [Fact]
    public async Task A_connection_not_enabled_for_the_client_never_sees_the_credentials()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, Realm);
        world.AddConnection("corp", RecordingConnectionStrategy.Name, "other-client");

        var outcome = await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "u"), ("password", "p"), ("realm", "corp"));

        Assert.Equal(OAuthError.ConnectionDisabled(), outcome.Error);
        Assert.Empty(world.Fake.Logins);
        var log = Assert.Single(world.Store.Logs);
        Assert.Equal(("f", "corp"), (log.Type, log.ConnectionName));
    }

    [Fact]
    public async Task Unknown_realm_and_missing_default_directory_are_invalid_requests()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, Realm, GrantTypes.Password);
        var realm = await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "u"), ("password", "p"), ("realm", "nope"));
        Assert.Equal(OAuthError.ConnectionNotFound(), realm.Error);
        var password = await world.TokenAsync(("grant_type", "password"), ("client_id", "app"), ("username", "u"), ("password", "p"));
        Assert.Equal(400, password.Error!.Status);
        Assert.Equal("invalid_request", password.Error.Error);
    }

    [Fact]
    public async Task Wrong_credentials_get_one_answer_and_distinct_audit_codes()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, GrantTypes.Password);
        var connection = world.AddConnection("db", DatabaseConnectionStrategy.Name, "app");
        world.SetDefaultDirectory("db");
        world.AddDatabaseUser(connection, "dee@example.com", "Passw0rd!");

        var wrong = await world.TokenAsync(("grant_type", "password"), ("client_id", "app"), ("username", "dee@example.com"), ("password", "nope"));
        var unknown = await world.TokenAsync(("grant_type", "password"), ("client_id", "app"), ("username", "zed@example.com"), ("password", "nope"));

        Assert.Equal(new OAuthError(403, "invalid_grant", "Wrong email or password."), wrong.Error);
        Assert.Equal(wrong.Error, unknown.Error);
        Assert.Equal([LogTypes.WrongPassword, LogTypes.UnknownUser], world.Store.Logs.Select(l => l.Type));
        Assert.All(world.Store.Logs, l => Assert.DoesNotContain("nope", l.Details!.Value.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_events_carry_the_time_the_connection_took_and_refusals_before_it_do_not()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, GrantTypes.Password);
        var connection = world.AddConnection("db", DatabaseConnectionStrategy.Name, "app");
        world.SetDefaultDirectory("db");
        world.AddDatabaseUser(connection, "dee@example.com", "Passw0rd!");

        await world.TokenAsync(("grant_type", "password"), ("client_id", "app"), ("username", "dee@example.com"), ("password", "Passw0rd!"));
        await world.TokenAsync(("grant_type", "password"), ("client_id", "app"), ("username", "dee@example.com"), ("password", "nope"));
        await world.TokenAsync(("grant_type", "password"), ("client_id", "nobody"), ("username", "dee@example.com"), ("password", "nope"));

        var (success, wrong, noClient) = (world.Store.Logs[0], world.Store.Logs[1], world.Store.Logs[2]);
        Assert.True(success.Details!.Value.GetProperty("elapsed_ms").GetInt64() >= 0);
        Assert.True(wrong.Details!.Value.GetProperty("elapsed_ms").GetInt64() >= 0);
        Assert.False(noClient.Details!.Value.TryGetProperty("elapsed_ms", out _)); // refused before any connection work
    }

    [Fact]
    public async Task Password_realm_success_runs_the_connection_then_issues_tokens_then_audits()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, Realm);
        world.AddApi("https://api.example/", true, "read:a");
        var connection = world.AddConnection("corp", RecordingConnectionStrategy.Name, "app");
        var user = world.AddDatabaseUser(world.AddConnection("db", DatabaseConnectionStrategy.Name), "eve@example.com", "Passw0rd!");
        world.Fake.Answer = (_, _) => new PasswordLoginResult.Success(user);

        var outcome = await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "eve"), ("password", "pw"),
            ("realm", "corp"), ("scope", "openid offline_access"), ("audience", "https://api.example/"));

        var response = outcome.Response!;
        Assert.NotNull(response.IdToken);
        Assert.StartsWith("v1.", response.RefreshToken, StringComparison.Ordinal);
        Assert.Equal("openid profile email offline_access read:a", response.Scope);
        Assert.Equal(3600, response.ExpiresIn);
        var (username, context) = Assert.Single(world.Fake.Logins);
        Assert.Equal(("eve", "app", "203.0.113.7"), (username, context.ClientId, context.Ip));
        var log = Assert.Single(world.Store.Logs);
        Assert.Equal((LogTypes.SuccessPasswordExchange, user.UserId, "corp"), (log.Type, log.UserId, log.ConnectionName));
        Assert.Equal(connection.Id, world.Store.RefreshTokens.Single().ConnectionId);
        Assert.Equal(1, world.Store.Users.Single().LoginsCount);
    }

    [Fact]
    public async Task A_federated_identity_becomes_a_user_in_one_write_and_a_returning_one_in_one_read_and_one_write()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, Realm);
        world.AddConnection("corp", RecordingConnectionStrategy.Name, "app");
        world.Fake.Answer = (_, _) => new PasswordLoginResult.Authenticated(Identity("fay"));
        world.Store.Calls.Clear();

        Assert.NotNull((await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "fay"), ("password", "pw"), ("realm", "corp"))).Response);
        Assert.Single(world.Store.Calls, c => c.Contains("CreateUser", StringComparison.Ordinal));
        Assert.DoesNotContain(world.Store.Calls, c => c.Contains("UpdateUser", StringComparison.Ordinal)); // the first login is counted in the create
        world.Store.Calls.Clear();

        Assert.NotNull((await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "fay"), ("password", "pw"), ("realm", "corp"))).Response);
        Assert.Equal(["FindUserByExternalKeyAsync", "UpdateUserOnLoginAsync"], world.Store.Calls.Where(c => c.Contains("User", StringComparison.Ordinal)));
        var user = world.Store.Users.Single();
        Assert.Equal(("fake|fay", 2, "fay@example.com"), (user.UserId, user.LoginsCount, user.Email));
        Assert.Equal(2, world.Store.Logs.Count(l => l.Type == LogTypes.SuccessPasswordExchange)); // one audit event per login
    }

    [Fact]
    public async Task A_blocked_federated_user_is_refused_by_the_grant_with_one_audit_event_and_no_write()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, Realm);
        world.AddConnection("corp", RecordingConnectionStrategy.Name, "app");
        world.Fake.Answer = (_, _) => new PasswordLoginResult.Authenticated(Identity("gus"));
        await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "gus"), ("password", "pw"), ("realm", "corp"));
        await world.Store.UpdateUserAsync(world.Store.Users.Single() with { Blocked = true }, CancellationToken.None);
        var before = world.Store.Users.Single();
        var logsBefore = world.Store.Logs.Count;

        var outcome = await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "gus"), ("password", "pw"), ("realm", "corp"));

        Assert.Equal(new OAuthError(401, "unauthorized", "user is blocked"), outcome.Error);
        var log = Assert.Single(world.Store.Logs.Skip(logsBefore));
        Assert.Equal((LogTypes.FailedLogin, "fake|gus"), (log.Type, log.UserId));
        var after = world.Store.Users.Single();
        Assert.Equal((before.Version, before.LoginsCount, before.UpdatedAt), (after.Version, after.LoginsCount, after.UpdatedAt)); // nothing written
    }

    [Fact]
    public async Task A_blocked_database_user_is_refused_by_the_grant_only_after_the_right_password()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, Realm);
        var connection = world.AddConnection("db", DatabaseConnectionStrategy.Name, "app");
        var user = world.AddDatabaseUser(connection, "cy@example.com", "Passw0rd!");
        await world.Store.UpdateUserAsync(user with { Blocked = true }, CancellationToken.None);

        var wrong = await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "cy@example.com"), ("password", "wrong"), ("realm", "db"));
        var right = await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "cy@example.com"), ("password", "Passw0rd!"), ("realm", "db"));

        Assert.Equal("invalid_grant", wrong.Error!.Error);
        Assert.Equal(new OAuthError(401, "unauthorized", "user is blocked"), right.Error);
        Assert.Equal([LogTypes.WrongPassword, LogTypes.FailedLogin], world.Store.Logs.Select(l => l.Type));
        Assert.Equal(0, world.Store.Users.Single().LoginsCount);
    }

    [Fact]
    public void Upstream_tokens_never_print_themselves()
    {
        var identity = Identity("hal") with { Tokens = new UpstreamTokens("at-secret-1", "rt-secret-2") };

        Assert.DoesNotContain("secret", identity.ToString(), StringComparison.Ordinal);
        Assert.Contains("(redacted)", identity.ToString(), StringComparison.Ordinal);
    }

    private static UpstreamIdentity Identity(string id) => new(
        RecordingConnectionStrategy.Name, id, "directory/" + id, id + "@example.com", true, id, null, null, id,
        JsonSerializer.SerializeToElement(new { upn = id }), UpstreamTokens.None, RootAttributesPolicy.OnEachLogin);

    [Fact]
    public async Task Denied_logins_pass_the_connection_error_through()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, Realm);
        world.AddConnection("corp", RecordingConnectionStrategy.Name, "app");
        world.Fake.Answer = (_, _) => new PasswordLoginResult.Denied(403, "mfa_required", "Multifactor authentication required", "AADSTS50076", "waad|x");

        var outcome = await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "u"), ("password", "p"), ("realm", "corp"));

        Assert.Equal(new OAuthError(403, "mfa_required", "Multifactor authentication required"), outcome.Error);
        var log = Assert.Single(world.Store.Logs);
        Assert.Contains("AADSTS50076", log.Details!.Value.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_audience_is_refused_before_checking_the_password()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, Realm);
        world.AddConnection("corp", RecordingConnectionStrategy.Name, "app");

        var outcome = await world.TokenAsync(("grant_type", Realm), ("client_id", "app"), ("username", "u"), ("password", "p"), ("realm", "corp"), ("audience", "https://nope/"));

        Assert.Equal(OAuthError.AccessDenied("Service not found: https://nope/"), outcome.Error);
        Assert.Empty(world.Fake.Logins);
    }

    [Fact]
    public async Task Client_credentials_need_a_client_grant_and_get_its_scopes()
    {
        using var world = new TestWorld();
        world.AddClient("m2m", "client_secret_post", "a-long-client-secret", GrantTypes.ClientCredentials);
        world.AddApi("https://api.example/", false, "read:a", "write:a");
        (string, string)[] request = [("grant_type", "client_credentials"), ("client_id", "m2m"), ("client_secret", "a-long-client-secret"), ("audience", "https://api.example/")];

        var ungranted = await world.TokenAsync(request);
        Assert.Equal("access_denied", ungranted.Error!.Error);
        await world.Store.CreateClientGrantAsync(new Storage.ClientGrant("g1", "m2m", "https://api.example/", ["read:a"], 0), CancellationToken.None);
        var granted = await world.TokenAsync(request);

        Assert.Equal("read:a", granted.Response!.Scope);
        Assert.Null(granted.Response.IdToken);
        Assert.Null(granted.Response.RefreshToken);
        Assert.Equal([LogTypes.FailedClientCredentialsExchange, LogTypes.SuccessClientCredentialsExchange], world.Store.Logs.Select(l => l.Type));
    }

    [Fact]
    public async Task Forwarded_ip_is_used_only_for_trusted_confidential_clients()
    {
        using var world = new TestWorld();
        var trusted = world.AddClient("backend", "client_secret_post", "a-long-client-secret", GrantTypes.Password);
        await world.Store.UpdateClientAsync(trusted with { IsTokenEndpointIpHeaderTrusted = true }, CancellationToken.None);
        world.AddClient("public", "none", null, GrantTypes.Password);
        world.AddConnection("corp", RecordingConnectionStrategy.Name, "backend", "public");
        world.SetDefaultDirectory("corp");

        TokenRequest Request(string client, params (string, string)[] extra) =>
            TestWorld.Request([("grant_type", "password"), ("client_id", client), ("username", "u"), ("password", "p"), .. extra]) with { ForwardedFor = "198.51.100.9" };
        await world.Pipeline.ExecuteAsync(Request("backend", ("client_secret", "a-long-client-secret")), CancellationToken.None);
        await world.Pipeline.ExecuteAsync(Request("public"), CancellationToken.None);

        Assert.Equal(["198.51.100.9", "203.0.113.7"], world.Fake.Logins.Select(l => l.Context.Ip));
        Assert.Equal(("198.51.100.9", "203.0.113.7"), (world.Store.Logs[0].Ip, world.Store.Logs[0].ClientIp));
        Assert.Equal(("203.0.113.7", "203.0.113.7"), (world.Store.Logs[1].Ip, world.Store.Logs[1].ClientIp));
    }

    [Fact]
    public async Task Basic_authentication_works_and_cannot_be_combined_with_a_body_secret()
    {
        using var world = new TestWorld();
        world.AddClient("m2m", "client_secret_basic", "a-long-client-secret", GrantTypes.ClientCredentials);
        world.AddApi("https://api.example/", false, "read:a");
        await world.Store.CreateClientGrantAsync(new Storage.ClientGrant("g1", "m2m", "https://api.example/", ["read:a"], 0), CancellationToken.None);
        var request = TestWorld.Request(("grant_type", "client_credentials"), ("audience", "https://api.example/")) with { Basic = new BasicCredentials("m2m", "a-long-client-secret") };

        Assert.NotNull((await world.Pipeline.ExecuteAsync(request, CancellationToken.None)).Response);
        var both = await world.Pipeline.ExecuteAsync(request.With("client_secret", "a-long-client-secret"), CancellationToken.None);
        Assert.Equal("invalid_request", both.Error!.Error);
    }

    [Fact]
    public async Task An_audited_outcome_names_its_own_log_event_and_an_unaudited_one_none()
    {
        using var world = new TestWorld();
        world.AddClient("conf", "client_secret_post", "s3cret-value", GrantTypes.ClientCredentials);

        var refused = await world.TokenAsync(("grant_type", "password"), ("client_id", "conf"), ("client_secret", "nope"), ("username", "u"), ("password", "p"));
        var logId = Assert.IsType<string>(refused.LogId);
        var logEvent = await world.Store.GetLogAsync(logId, CancellationToken.None);
        Assert.Equal(LogTypes.FailedLogin, logEvent?.Type);
        Assert.Equal("conf", logEvent?.ClientId);

        var unparsed = await world.TokenAsync(("client_id", "conf"));
        Assert.Null(unparsed.LogId); // refused before the client was known: nothing audited
    }
}


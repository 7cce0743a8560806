using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.Database;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests;

public class DatabaseConnectionTests
{
    private static readonly LoginContext Context = new("client", "127.0.0.1", null, "c1");

    [Fact]
    public async Task Unknown_user_and_wrong_password_both_cost_exactly_one_hash_verification()
    {
        using var world = new TestWorld();
        var connection = world.AddConnection("db", DatabaseConnectionStrategy.Name);
        world.AddDatabaseUser(connection, "ann@example.com", "Passw0rd!");
        var live = (IPasswordConnection)world.Cache.Get(connection)!;

        world.Store.Calls.Clear();
        var unknown = await live.LoginAsync("nobody@example.com", "Passw0rd!", Context, CancellationToken.None);
        var unknownLookups = world.Store.Calls.ToList();
        Assert.Equal(1, world.Hasher.Verifications);
        Assert.Null(world.Hasher.VerifiedHashes[0]); // hashed against the dummy
        world.Store.Calls.Clear();
        var wrong = await live.LoginAsync("ann@example.com", "bad", Context, CancellationToken.None);
        Assert.Equal(2, world.Hasher.Verifications);
        Assert.Equal(unknownLookups, world.Store.Calls); // same store work for both

        Assert.True(Assert.IsType<PasswordLoginResult.InvalidCredentials>(unknown).UnknownUser);
        var wrongResult = Assert.IsType<PasswordLoginResult.InvalidCredentials>(wrong);
        Assert.False(wrongResult.UnknownUser);
        Assert.StartsWith("auth0|", wrongResult.UserId);
    }

    [Fact]
    public async Task Login_by_email_is_case_insensitive_and_by_username_works()
    {
        using var world = new TestWorld();
        var connection = await world.Store.CreateConnectionAsync(new Storage.Connection("con_u", "users", "auth0",
            JsonSerializer.SerializeToElement(new { requires_username = true }), [], ["users"], null, false, false, null, 0), CancellationToken.None);
        var live = (DatabaseConnection)world.Cache.Get(connection)!;
        var created = await live.CreateUserAsync(new DatabaseUserDraft("Bea@Example.com", "bea", "Passw0rd!"), CancellationToken.None);
        var user = Assert.IsType<UserCreationResult.Created>(created).User;

        Assert.Equal("bea@example.com", user.Email);
        Assert.Matches("^auth0\\|[0-9a-f]{24}$", user.UserId);
        var identity = Assert.Single(user.Identities);
        Assert.Equal(("auth0", user.UserId[6..], "users", false), (identity.Provider, identity.UserId, identity.Connection, identity.IsSocial));
        Assert.IsType<PasswordLoginResult.Success>(await live.LoginAsync("BEA@example.com", "Passw0rd!", Context, CancellationToken.None));
        Assert.IsType<PasswordLoginResult.Success>(await live.LoginAsync("bea", "Passw0rd!", Context, CancellationToken.None));
    }

    [Fact]
    public async Task A_blocked_user_is_returned_as_stored_for_the_grant_to_refuse()
    {
        using var world = new TestWorld();
        var connection = world.AddConnection("db", DatabaseConnectionStrategy.Name);
        var user = world.AddDatabaseUser(connection, "cy@example.com", "Passw0rd!");
        await world.Store.UpdateUserAsync(user with { Blocked = true }, CancellationToken.None);
        var live = (IPasswordConnection)world.Cache.Get(connection)!;

        Assert.IsType<PasswordLoginResult.InvalidCredentials>(await live.LoginAsync("cy@example.com", "wrong", Context, CancellationToken.None));
        var success = Assert.IsType<PasswordLoginResult.Success>(await live.LoginAsync("cy@example.com", "Passw0rd!", Context, CancellationToken.None));
        Assert.True(success.User.Blocked); // TokenPipelineTests: the grant refuses it, the one "blocked" check
    }

    [Fact]
    public async Task Users_without_username_cannot_be_given_one_and_policies_apply()
    {
        using var world = new TestWorld();
        var connection = await world.Store.CreateConnectionAsync(new Storage.Connection("con_p", "strict", "auth0",
            JsonSerializer.SerializeToElement(new { passwordPolicy = "good" }), [], ["strict"], null, false, false, null, 0), CancellationToken.None);
        var live = (DatabaseConnection)world.Cache.Get(connection)!;

        var withUsername = await live.CreateUserAsync(new DatabaseUserDraft("a@example.com", "a", "Passw0rd!"), CancellationToken.None);
        Assert.Contains("requires_username", Assert.IsType<UserCreationResult.Invalid>(withUsername).Message);
        var weak = await live.CreateUserAsync(new DatabaseUserDraft("a@example.com", null, "password"), CancellationToken.None);
        Assert.Equal("PasswordStrengthError: Password is too weak", Assert.IsType<UserCreationResult.Invalid>(weak).Message);
        var badEmail = await live.CreateUserAsync(new DatabaseUserDraft("not-an-email", null, "Passw0rd!"), CancellationToken.None);
        Assert.Contains("format email", Assert.IsType<UserCreationResult.Invalid>(badEmail).Message);
        Assert.Empty(world.Store.Users);
    }

    [Fact]
    public void Options_validation_names_unknown_options_and_wrong_types()
    {
        var problems = DatabaseConnectionOptions.Validate(JsonSerializer.SerializeToElement(new
        {
            requires_username = "yes",
            brute_force_protection = true,
            passwordPolicy = "strong",
            colour = "blue",
            size = 3,
        }));
        Assert.Contains(new OptionProblem("requires_username", "must be a boolean"), problems);
        Assert.Contains("options.requires_username must be a boolean", problems.Select(p => p.ToString()));
        Assert.Contains(problems, p => p.Message.Contains("colour, size", StringComparison.Ordinal));

        var policy = DatabaseConnectionOptions.Validate(JsonSerializer.SerializeToElement(new { passwordPolicy = "strong" }));
        Assert.Contains(policy, p => p.Option == "passwordPolicy" && p.ToString().StartsWith("options.passwordPolicy must be one of", StringComparison.Ordinal));

        Assert.Empty(DatabaseConnectionOptions.Validate(JsonSerializer.SerializeToElement(new
        {
            requires_username = true,
            brute_force_protection = true,
            passwordPolicy = "excellent",
            disable_signup = false,
            validation = new { username = new { min = 3, max = 20 } },
            password_complexity_options = new { min_length = 12 },
        })));
    }

    [Fact]
    public async Task Connection_cache_keeps_one_live_connection_per_version()
    {
        using var world = new TestWorld();
        var connection = world.AddConnection("f", RecordingConnectionStrategy.Name);
        var first = world.Cache.Get(connection);
        Assert.Same(first, world.Cache.Get(connection));
        var updated = await world.Store.UpdateConnectionAsync(connection, CancellationToken.None);
        var second = world.Cache.Get(updated);
        Assert.NotSame(first, second);
        Assert.Equal(2, world.Fake.Created);
        Assert.Null(world.Cache.Get(connection with { Strategy = "unknown" , Id = "other" }));
    }
}

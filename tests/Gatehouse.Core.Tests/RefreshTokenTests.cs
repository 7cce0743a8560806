using Gatehouse.Core.Connections;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Tests.Fakes;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Core.Tests;

public class RefreshTokenTests
{
    private static async Task<(TestWorld World, string RefreshToken)> LoggedInAsync()
    {
        var world = new TestWorld();
        world.AddClient("app", "none", null, GrantTypes.PasswordRealm, GrantTypes.RefreshToken);
        world.AddClient("other", "none", null, GrantTypes.RefreshToken);
        world.AddConnection("corp", RecordingConnectionStrategy.Name, "app");
        var user = world.AddDatabaseUser(world.AddConnection("db", "auth0"), "fay@example.com", "Passw0rd!");
        world.Fake.Answer = (_, _) => new PasswordLoginResult.Success(user);
        var login = await world.TokenAsync(("grant_type", GrantTypes.PasswordRealm), ("client_id", "app"), ("username", "fay"), ("password", "p"),
            ("realm", "corp"), ("scope", "openid profile offline_access"));
        return (world, login.Response!.RefreshToken!);
    }

    private static Task<TokenOutcome> RefreshAsync(TestWorld world, string token, string client = "app") =>
        world.TokenAsync(("grant_type", "refresh_token"), ("client_id", client), ("refresh_token", token));

    [Fact]
    public async Task Refresh_rotates_the_token_and_keeps_the_scopes()
    {
        var (world, first) = await LoggedInAsync();
        using var _ = world;

        var refreshed = await RefreshAsync(world, first);

        var response = refreshed.Response!;
        Assert.NotEqual(first, response.RefreshToken);
        Assert.NotNull(response.IdToken);
        Assert.Null(response.Scope);
        Assert.Equal(2, world.Store.RefreshTokens.Count);
        Assert.Single(world.Store.RefreshTokens.Select(t => t.FamilyId).Distinct());
        Assert.Equal(LogTypes.SuccessRefreshTokenExchange, world.Store.Logs[^1].Type);
        Assert.NotNull((await RefreshAsync(world, response.RefreshToken!)).Response);
    }

    [Fact]
    public async Task Reusing_a_rotated_token_revokes_the_whole_family()
    {
        var (world, first) = await LoggedInAsync();
        using var _ = world;
        var second = (await RefreshAsync(world, first)).Response!.RefreshToken!;

        var reuse = await RefreshAsync(world, first);
        Assert.Equal(OAuthError.InvalidRefreshToken(), reuse.Error);
        Assert.All(world.Store.RefreshTokens, t => Assert.NotNull(t.RevokedAt));
        Assert.Equal(OAuthError.InvalidRefreshToken(), (await RefreshAsync(world, second)).Error);
        Assert.Contains(world.Store.Logs, l => l.Type == LogTypes.FailedRefreshTokenExchange && l.Details!.Value.GetRawText().Contains("reuse", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replay_between_the_rotation_and_its_successor_still_revokes_the_successor()
    {
        var (world, first) = await LoggedInAsync();
        using var _ = world;
        var winner = await world.RefreshTokens.ExchangeAsync(first, "app", null, CancellationToken.None);
        Assert.Equal(RefreshRefusal.None, winner.Refusal);

        // The same token on another node, before the winner stored the successor: reuse, the family is revoked.
        Assert.Equal(RefreshRefusal.Reused, (await world.RefreshTokens.ExchangeAsync(first, "app", null, CancellationToken.None)).Refusal);
        var grant = new TokenGrant("refresh_token", winner.Token!.UserId, null, "https://api/", 3600, ["openid", "offline_access"], false, true, null)
        {
            RotatedFrom = winner.Token,
        };
        var successor = await world.RefreshTokens.IssueAsync(grant, "app", null, CancellationToken.None);

        Assert.Equal(RefreshRefusal.Unknown, (await world.RefreshTokens.ExchangeAsync(successor, "app", null, CancellationToken.None)).Refusal);
        Assert.All(world.Store.RefreshTokens, t => Assert.NotNull(t.RevokedAt));
    }

    [Fact]
    public async Task Another_client_cannot_use_the_token_and_expired_tokens_fail()
    {
        var (world, first) = await LoggedInAsync();
        using var _ = world;

        Assert.Equal(OAuthError.InvalidRefreshToken(), (await RefreshAsync(world, first, "other")).Error);
        Assert.Null(world.Store.RefreshTokens.Single().RotatedAt);
        world.Time.Advance(TimeSpan.FromSeconds(world.Options.RefreshTokenLifetimeSeconds + 1));
        Assert.Equal(OAuthError.InvalidRefreshToken(), (await RefreshAsync(world, first)).Error);
    }

    [Fact]
    public async Task Narrower_scope_on_refresh_is_honoured_and_reported()
    {
        var (world, first) = await LoggedInAsync();
        using var _ = world;
        var refreshed = await world.TokenAsync(("grant_type", "refresh_token"), ("client_id", "app"), ("refresh_token", first), ("scope", "openid admin"));
        Assert.Equal("openid", refreshed.Response!.Scope);
    }

    [Fact]
    public async Task Revocation_by_the_owner_revokes_the_family_and_unknown_tokens_succeed()
    {
        var (world, first) = await LoggedInAsync();
        using var _ = world;

        Assert.Null(await world.Revocation.RevokeAsync(TestWorld.Request(("client_id", "other"), ("token", first)), CancellationToken.None));
        Assert.Null(world.Store.RefreshTokens.Single().RevokedAt);
        Assert.Null(await world.Revocation.RevokeAsync(TestWorld.Request(("client_id", "app"), ("token", first)), CancellationToken.None));
        Assert.NotNull(world.Store.RefreshTokens.Single().RevokedAt);
        Assert.Null(await world.Revocation.RevokeAsync(TestWorld.Request(("client_id", "app"), ("token", "v1.unknown")), CancellationToken.None));
        Assert.Equal(OAuthError.MissingParameter("token"), await world.Revocation.RevokeAsync(TestWorld.Request(("client_id", "app")), CancellationToken.None));
        Assert.Equal(OAuthError.InvalidRefreshToken(), (await RefreshAsync(world, first)).Error);
    }
}

using Gatehouse.Core.Grants;
using Gatehouse.Core.Tests.Fakes;
using Gatehouse.Core.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Core.Tests;

public class TokenIssuerTests
{
    private static async Task<(TestWorld World, TokenResponse Response, string UserId)> PasswordLoginAsync(string scope, string? audience)
    {
        var world = new TestWorld();
        world.AddClient("app", "none", null, GrantTypes.Password);
        world.AddApi("https://api.example/", true, "read:a");
        var connection = world.AddConnection("db", "auth0", "app");
        world.SetDefaultDirectory("db");
        var user = world.AddDatabaseUser(connection, "gus@example.com", "Passw0rd!");
        (string, string)[] parameters = [("grant_type", "password"), ("client_id", "app"), ("username", "gus@example.com"), ("password", "Passw0rd!"), ("scope", scope)];
        if (audience is not null)
            parameters = [.. parameters, ("audience", audience)];
        var outcome = await world.TokenAsync(parameters);
        return (world, outcome.Response!, user.UserId);
    }

    [Fact]
    public async Task Access_token_for_an_api_carries_auth0_claims_and_the_userinfo_audience_with_openid()
    {
        var (world, response, userId) = await PasswordLoginAsync("openid email", "https://api.example/");
        using var owner = world;
        var token = new JsonWebToken(response.AccessToken);

        Assert.Equal("RS256", token.Alg);
        Assert.Equal((await world.Keys.GetRingAsync(CancellationToken.None)).Current.Kid, token.Kid);
        Assert.Equal(TestWorld.Issuer, token.Issuer);
        Assert.Equal(userId, token.Subject);
        Assert.Equal(["https://api.example/", TestWorld.Issuer + "userinfo"], token.Audiences);
        Assert.Equal("app", token.GetPayloadValue<string>("azp"));
        Assert.Equal("password", token.GetPayloadValue<string>("gty"));
        Assert.Equal("openid email read:a", token.GetPayloadValue<string>("scope"));
        Assert.Equal(world.Time.GetUtcNow().UtcDateTime, token.IssuedAt);
        Assert.Equal(TimeSpan.FromSeconds(3600), token.ValidTo - token.IssuedAt);
        Assert.False(token.TryGetPayloadValue<long>("nbf", out _));
    }

    [Fact]
    public async Task Id_token_has_the_client_as_audience_and_profile_claims_by_scope()
    {
        var (world, response, userId) = await PasswordLoginAsync("openid email", null);
        using var owner = world;
        var idToken = new JsonWebToken(response.IdToken);

        Assert.Equal(TestWorld.Issuer, idToken.Issuer);
        Assert.Equal(["app"], idToken.Audiences);
        Assert.Equal(userId, idToken.Subject);
        Assert.Equal("gus@example.com", idToken.GetPayloadValue<string>("email"));
        Assert.True(idToken.GetPayloadValue<bool>("email_verified"));
        Assert.False(idToken.TryGetPayloadValue<string>("name", out _)); // no profile scope
        Assert.Equal(TimeSpan.FromSeconds(36000), idToken.ValidTo - idToken.IssuedAt);
    }

    [Fact]
    public async Task Without_an_audience_the_access_token_is_good_only_at_userinfo()
    {
        var (world, response, _) = await PasswordLoginAsync("openid", null);
        using var _w = world;
        var token = new JsonWebToken(response.AccessToken);

        Assert.Equal([TestWorld.Issuer + "userinfo"], token.Audiences);
        Assert.Equal(3600, response.ExpiresIn); // 86400 for /userinfo tokens, capped for the password grants (TokenOptions)
        Assert.Equal("openid profile email", response.Scope);
        var claims = new JsonWebToken(response.IdToken);
        Assert.Equal("Test User", claims.GetPayloadValue<string>("name"));
        Assert.Null(response.RefreshToken);
    }

    [Fact]
    public async Task The_validator_accepts_our_tokens_for_their_audience_only()
    {
        var (world, response, userId) = await PasswordLoginAsync("openid", "https://api.example/");
        using var owner = world;

        var ok = await world.Validator.ValidateAsync(response.AccessToken, TestWorld.Issuer + "userinfo", CancellationToken.None);
        Assert.Equal(userId, ok.Token!.Subject);
        var bad = await world.Validator.ValidateAsync(response.AccessToken, TestWorld.Issuer + "api/v2/", CancellationToken.None);
        Assert.StartsWith("Bad audience: ", bad.Error, StringComparison.Ordinal);
        Assert.Equal("Invalid token", (await world.Validator.ValidateAsync("not.a.jwt", "x", CancellationToken.None)).Error);
        world.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal("Expired token received for JSON Web Token validation", (await world.Validator.ValidateAsync(response.AccessToken, TestWorld.Issuer + "userinfo", CancellationToken.None)).Error);
    }
}

using Gatehouse.Core.Grants;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests;

/// <summary>The parameter limits are checked by the Core services themselves, so a caller that skips the HTTP reader (the dashboard's Try) is bounded too.</summary>
public sealed class TokenRequestLimitsTests
{
    private static readonly string LongClientId = new('c', 200);

    [Fact]
    public async Task The_pipeline_refuses_over_long_basic_credentials_before_any_lookup()
    {
        var world = new TestWorld();
        var request = TestWorld.Request(("grant_type", GrantTypes.ClientCredentials)) with { Basic = new BasicCredentials(LongClientId, "secret") };
        var outcome = await world.Pipeline.ExecuteAsync(request, CancellationToken.None);
        Assert.Equal("Parameter 'client_id' is longer than 128 characters.", outcome.Error?.Description);
    }

    [Fact]
    public async Task Revocation_refuses_an_over_long_token_itself()
    {
        var world = new TestWorld();
        var error = await world.Revocation.RevokeAsync(TestWorld.Request(("client_id", "app"), ("token", new string('t', 513))), CancellationToken.None);
        Assert.Equal("Parameter 'token' is longer than 512 characters.", error?.Description);
    }
}

using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Security;

/// <summary>Strict-Transport-Security on HTTPS responses (a year by default, configurable, 0 off), never on plain http.</summary>
public sealed class HstsTests
{
    [Fact]
    public async Task Https_responses_carry_a_year_of_hsts_by_default()
    {
        await using var server = await GatehouseTestServer.StartAsync();
        foreach (var path in new[] { ".well-known/openid-configuration", "dashboard/signin", "no-such-path" })
        {
            var response = await server.Client.GetAsync(path);
            Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        }
        Assert.Equal(31_536_000, Hsts.DefaultMaxAgeSeconds);
    }

    [Theory]
    [InlineData("600", "max-age=600")]
    [InlineData("0", null)]
    public async Task Max_age_is_configurable_and_zero_turns_it_off(string maxAge, string? expected)
    {
        await using var server = await GatehouseTestServer.StartAsync(c => c[Hsts.MaxAgeKey] = maxAge);
        var response = await server.Client.GetAsync(".well-known/openid-configuration");
        Assert.Equal(expected, response.Headers.TryGetValues("Strict-Transport-Security", out var values) ? Assert.Single(values) : null);
    }

    [Fact]
    public async Task Plain_http_responses_have_none()
    {
        await using var server = await GatehouseTestServer.StartAsync(c => c["urls"] = "http://127.0.0.1:0");
        var response = await server.Client.GetAsync(".well-known/openid-configuration");
        response.EnsureSuccessStatusCode();
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_negative_max_age_stops_the_start()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => GatehouseTestServer.StartAsync(c => c[Hsts.MaxAgeKey] = "-1"));
        Assert.Contains(Hsts.MaxAgeKey, error.Message, StringComparison.Ordinal);
    }
}

using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Tests.Security;

/// <summary>
/// X-Forwarded-For is believed only from Network:KnownProxies / Network:KnownNetworks: the audit event's ip is the
/// socket address (127.0.0.1 here) unless the caller is a configured proxy.
/// </summary>
public sealed class KnownProxiesTests
{
    private const string Spoofed = "203.0.113.77";

    [Fact]
    public async Task Without_known_proxies_a_spoofed_forwarded_for_is_ignored()
    {
        await using var server = await GatehouseTestServer.StartAsync();
        Assert.Equal("127.0.0.1", await AuditedIpAsync(server, Spoofed));
    }

    [Fact]
    public async Task A_forwarded_for_from_an_address_that_is_not_a_configured_proxy_is_ignored()
    {
        await using var server = await GatehouseTestServer.StartAsync(c =>
        {
            c["Network:KnownProxies"] = "10.1.2.3";
            c["Network:KnownNetworks"] = "192.168.0.0/16";
        });
        Assert.Equal("127.0.0.1", await AuditedIpAsync(server, Spoofed));
    }

    [Fact]
    public async Task A_forwarded_for_from_a_known_proxy_is_the_client_address()
    {
        await using var server = await GatehouseTestServer.StartAsync(c => c["Network:KnownProxies"] = "127.0.0.1");
        // The rightmost entry not added by a known proxy is the client; the spoofed entry to its left is not believed.
        Assert.Equal(Spoofed, await AuditedIpAsync(server, Spoofed));
        Assert.Equal("198.51.100.9", await AuditedIpAsync(server, "6.6.6.6, 198.51.100.9"));
    }

    [Fact]
    public async Task A_forwarded_for_from_a_known_network_is_the_client_address()
    {
        await using var server = await GatehouseTestServer.StartAsync(c => c["Network:KnownNetworks"] = "127.0.0.0/8");
        Assert.Equal(Spoofed, await AuditedIpAsync(server, Spoofed));
    }

    [Fact]
    public void Addresses_and_networks_that_do_not_parse_stop_the_start()
    {
        static IConfiguration Config(string key, string value) =>
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        Assert.Null(KnownProxies.OptionsFrom(Config("Other", "x")));
        Assert.Contains("not an IP address", Assert.Throws<InvalidOperationException>(() => KnownProxies.OptionsFrom(Config("Network:KnownProxies", "proxy.local"))).Message, StringComparison.Ordinal);
        Assert.Contains("not a CIDR", Assert.Throws<InvalidOperationException>(() => KnownProxies.OptionsFrom(Config("Network:KnownNetworks", "10.0.0.0"))).Message, StringComparison.Ordinal);
        var both = KnownProxies.OptionsFrom(Config("Network:KnownProxies", "10.0.0.1, 10.0.0.2"))!;
        Assert.Equal(2, both.KnownProxies.Count);
        Assert.Empty(both.KnownIPNetworks);
    }

    /// <summary>A client-credentials exchange with the header, then the ip of its seccft event read through the Management API.</summary>
    private static async Task<string?> AuditedIpAsync(GatehouseTestServer server, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = server.ManagementClientId,
                ["client_secret"] = server.ManagementClientSecret,
                ["audience"] = server.ManagementAudience,
            }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", "https");
        var token = (await HttpAssert.OkJsonAsync(await server.Client.SendAsync(request))).GetProperty("access_token").GetString()!;
        using var management = await server.CreateManagementClientAsync(token);
        var logs = await HttpAssert.OkJsonAsync(await management.GetAsync("logs?per_page=100"));
        return logs.EnumerateArray().First(l => l.GetProperty("type").GetString() == "seccft").GetProperty("ip").GetString();
    }
}

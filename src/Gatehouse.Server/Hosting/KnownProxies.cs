using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// <c>Network:KnownProxies</c> (IPs) and <c>Network:KnownNetworks</c> (CIDRs): X-Forwarded-For and X-Forwarded-Proto
/// are believed only when the socket peer is one of them, so <c>Connection.RemoteIpAddress</c> is the real client for
/// audit logs, rate limits and attack protection. With neither set the headers are ignored entirely: anyone can send
/// them, and trusting them would let a caller pick the IP its failures are counted against.
/// </summary>
public static class KnownProxies
{
    public const string Section = "Network";

    public static void UseKnownProxies(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (OptionsFrom(app.Configuration) is { } options)
            app.UseForwardedHeaders(options);
    }

    /// <summary>Null when no proxy is configured; throws at start-up on an address or network that does not parse.</summary>
    public static ForwardedHeadersOptions? OptionsFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var proxies = Values(configuration, "KnownProxies").Select(ParseAddress).ToList();
        var networks = Values(configuration, "KnownNetworks").Select(ParseNetwork).ToList();
        if (proxies.Count == 0 && networks.Count == 0)
            return null;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Walk X-Forwarded-For from the right through every known proxy (a load balancer in front of a reverse
            // proxy is two hops); the walk stops at the first address that is not a known proxy.
            ForwardLimit = null,
        };
        // The defaults trust loopback; only what the operator listed is trusted.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
            options.KnownProxies.Add(proxy);
        foreach (var network in networks)
            options.KnownIPNetworks.Add(network);
        return options;
    }

    /// <summary>A list key accepts both forms: <c>Network:KnownProxies:0=…</c> and one comma-separated value.</summary>
    private static IEnumerable<string> Values(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(Section).GetSection(key);
        var items = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return items.Where(v => !string.IsNullOrWhiteSpace(v))
            .SelectMany(v => v!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static IPAddress ParseAddress(string text) => IPAddress.TryParse(text, out var address)
        ? Normalize(address)
        : throw new InvalidOperationException($"{Section}:KnownProxies: '{text}' is not an IP address.");

    private static System.Net.IPNetwork ParseNetwork(string text) => System.Net.IPNetwork.TryParse(text, out var network)
        ? network
        : throw new InvalidOperationException($"{Section}:KnownNetworks: '{text}' is not a CIDR network (e.g. 10.0.0.0/8).");

    /// <summary>Kestrel reports IPv4 peers on dual-stack sockets as IPv4-mapped IPv6; the middleware compares both forms.</summary>
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

using System.Net;

namespace Gatehouse.Server.RateLimiting;

/// <summary>What a bucket is counted against.</summary>
internal static class RateLimitKeys
{
    /// <summary>
    /// The client address (after <see cref="Hosting.KnownProxies"/>). An IPv6 host usually owns a whole /64, so IPv6
    /// is counted per /64: otherwise one machine could take a fresh bucket for every request.
    /// </summary>
    public static string Ip(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
            return "ip:unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            return "ip:" + address;
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return "ip:" + new IPAddress(bytes) + "/64";
    }

    public static string User(string userId) => "user:" + userId;

    public static string Client(string clientId) => "client:" + clientId;
}

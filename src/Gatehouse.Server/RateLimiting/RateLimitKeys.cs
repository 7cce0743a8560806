using Gatehouse.Core.Security;

namespace Gatehouse.Server.RateLimiting;

/// <summary>What a bucket is counted against.</summary>
internal static class RateLimitKeys
{
    /// <summary>
    /// The client address (after <see cref="Hosting.KnownProxies"/>), IPv6 per /64 (<see cref="ClientAddresses"/>):
    /// otherwise one machine could take a fresh bucket for every request.
    /// </summary>
    public static string Ip(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address ? "ip:" + ClientAddresses.Key(address) : "ip:unknown";

    public static string User(string userId) => "user:" + userId;

    public static string Client(string clientId) => "client:" + clientId;
}

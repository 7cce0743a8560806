using System.Net;

namespace Gatehouse.Bench.Load.Load;

/// <summary>HTTP clients for the load: loopback only, keep-alive, one connection per concurrent request.</summary>
public static class BenchHttp
{
    public static HttpClient Create(Uri baseAddress, int connections)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!IsLoopback(baseAddress))
            throw new ArgumentException($"benchmarks run on loopback only, not {baseAddress}");
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, connections),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false, // a scenario that goes through redirects (the browser login) follows them itself
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
}

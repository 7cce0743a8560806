using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Connections.Upstream;

/// <summary>
/// The HTTP handler a strategy shares for all its upstream calls. Upstream TLS is always validated: a certificate must
/// chain to the system store, or (when the server configured extra trust anchors, e.g. an emulator's certificate) to
/// one of those, with the host name matching. There is no switch that turns validation off. Redirects are never
/// followed: a password or a token is never carried to another URL.
/// </summary>
public static class UpstreamHandler
{
    public static SocketsHttpHandler Create(IEnumerable<X509Certificate2> extraTrustAnchors)
    {
        var anchors = extraTrustAnchors.ToArray();
        return new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5), // pick up DNS changes of the upstream hosts
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    IsTrusted(certificate as X509Certificate2, chain, errors, anchors),
            },
        };
    }

    /// <summary>System validation first; only a chain error may then be cured by the configured anchors.</summary>
    public static bool IsTrusted(X509Certificate2? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2[] anchors)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        if (errors == SslPolicyErrors.None)
            return true;
        if (certificate is null || anchors.Length == 0 || errors != SslPolicyErrors.RemoteCertificateChainErrors)
            return false; // name mismatch or no certificate: never acceptable

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // private anchors publish no revocation lists
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements.Skip(1))
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        return chain.Build(certificate);
    }
}

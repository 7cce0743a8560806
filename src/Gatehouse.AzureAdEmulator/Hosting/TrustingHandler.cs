using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.AzureAd.Emulator.Hosting;

/// <summary>An HTTP handler that validates server certificates against exactly one trusted CA.</summary>
internal static class TrustingHandler
{
    public static SocketsHttpHandler Create(X509Certificate2 ca)
    {
        var trusted = X509CertificateLoader.LoadCertificate(ca.RawData);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    // Name and presence errors still fail; only the chain is judged against our CA.
                    if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(trusted);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return chain.Build(leaf);
                },
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
    }
}

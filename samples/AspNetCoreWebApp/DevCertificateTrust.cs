using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Samples.WebApp;

/// <summary>
/// Trust for a Gatehouse on its development certificate (--dev-cert writes the CA to &lt;data-dir&gt;/dev-ca.pem): the
/// server's chain must end at that CA and nothing else. A Gatehouse on a public certificate needs none of this.
/// </summary>
internal static class DevCertificateTrust
{
    public static HttpMessageHandler Handler(string caPemFile)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPemFile));
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                        return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    using var leaf = new X509Certificate2(certificate);
                    return chain.Build(leaf);
                },
            },
        };
    }
}

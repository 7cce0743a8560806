using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// --dev-cert: a local CA and a server certificate it signs (SAN 127.0.0.1, localhost), made once in the data dir.
/// Clients trust <c>&lt;data-dir&gt;/dev-ca.pem</c> (<c>curl --cacert</c>, <c>NODE_EXTRA_CA_CERTS</c>).
/// </summary>
public static class DevCertificate
{
    public const string CaFileName = "dev-ca.pem";
    private const string ServerFileName = "dev-cert.pfx";

    public static X509Certificate2 LoadOrCreate(string dataDir)
    {
        var pfxPath = Path.Combine(dataDir, ServerFileName);
        var caPath = Path.Combine(dataDir, CaFileName);
        if (File.Exists(pfxPath) && File.Exists(caPath))
        {
            var existing = X509CertificateLoader.LoadPkcs12FromFile(pfxPath, password: null);
            if (existing.NotAfter > DateTime.UtcNow.AddDays(7))
                return existing;
            existing.Dispose();
        }

        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Gatehouse Development CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var signed = request.Create(ca, now.AddDays(-1), now.AddYears(2), RandomNumberGenerator.GetBytes(16));
        using var withKey = signed.CopyWithPrivateKey(serverKey);

        SecureFile.Write(pfxPath, withKey.Export(X509ContentType.Pfx));
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        return X509CertificateLoader.LoadPkcs12FromFile(pfxPath, password: null);
    }
}

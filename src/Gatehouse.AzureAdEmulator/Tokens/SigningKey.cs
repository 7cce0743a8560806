using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.AzureAd.Emulator.Tokens;

/// <summary>
/// An RSA token-signing key with its self-signed certificate, made once. <c>kid</c> == <c>x5t</c> == base64url
/// SHA-1 thumbprint, as in Entra's JWKS (reference §7.3).
/// </summary>
internal sealed class SigningKey : IDisposable
{
    private SigningKey(RSA rsa, X509Certificate2 certificate)
    {
        Rsa = rsa;
        Certificate = certificate;
        Kid = Base64Url.EncodeToString(certificate.GetCertHash(HashAlgorithmName.SHA1));
        var parameters = rsa.ExportParameters(false);
        Modulus = Base64Url.EncodeToString(parameters.Modulus);
        Exponent = Base64Url.EncodeToString(parameters.Exponent);
        X5c = Convert.ToBase64String(certificate.RawData);
    }

    public RSA Rsa { get; }
    public X509Certificate2 Certificate { get; }
    public string Kid { get; }
    public string Modulus { get; }
    public string Exponent { get; }
    public string X5c { get; }

    public static SigningKey Create(TimeProvider time)
    {
        var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=accounts.accesscontrol.windows.net", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = time.GetUtcNow();
        using var withKey = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        var publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
        return new SigningKey(rsa, publicOnly);
    }

    public byte[] Sign(ReadOnlySpan<byte> data) => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        Rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public void Dispose()
    {
        Rsa.Dispose();
        Certificate.Dispose();
    }
}

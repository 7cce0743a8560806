using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Core.Tokens;

/// <summary>A loaded signing key: the stored record plus its parsed certificate, RSA key and JWKS entry. Built once per key.</summary>
public sealed class SigningKeyMaterial
{
    private SigningKeyMaterial(SigningKey record, X509Certificate2 certificate, RsaSecurityKey key)
    {
        Record = record;
        Certificate = certificate;
        SecurityKey = key;
        Credentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        Thumbprint = Base64Url.Encode(certificate.GetCertHash());
        var parameters = key.Rsa.ExportParameters(false);
        Jwk = new JsonWebKeyEntry(
            Kty: "RSA",
            Use: "sig",
            Alg: "RS256",
            Kid: record.Kid,
            X5t: Thumbprint,
            X5c: [Convert.ToBase64String(certificate.RawData)],
            N: Base64Url.Encode(parameters.Modulus),
            E: Base64Url.Encode(parameters.Exponent));
    }

    public string Kid => Record.Kid;

    public SigningKey Record { get; }

    public X509Certificate2 Certificate { get; }

    public RsaSecurityKey SecurityKey { get; }

    public SigningCredentials Credentials { get; }

    /// <summary>x5t: base64url SHA-1 thumbprint of the certificate.</summary>
    public string Thumbprint { get; }

    public JsonWebKeyEntry Jwk { get; }

    /// <summary>Published (JWKS, accepted for validation) while current or inside its publish window.</summary>
    public bool IsPublishedAt(DateTimeOffset now) =>
        Record.Current || (Record.RevokedAt is null && Record.PublishUntil is null) || Record.PublishUntil > now;

    public static SigningKeyMaterial Load(SigningKey record, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(protector);
        var certificate = X509Certificate2.CreateFromPem(record.CertificatePem);
        var pkcs8 = Convert.FromBase64String(protector.Unprotect(record.PrivateKeyProtected, Secrets.SigningKeyPurpose));
        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return new SigningKeyMaterial(record, certificate, new RsaSecurityKey(rsa) { KeyId = record.Kid });
        }
        catch
        {
            rsa.Dispose();
            certificate.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>A new RSA-2048 key with a self-signed certificate (for x5c/x5t), its private key protected for storage.</summary>
    public static SigningKey Generate(ISecretProtector protector, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(protector);
        using var rsa = RSA.Create(2048);
        var kid = Secrets.RandomToken(16);
        var request = new CertificateRequest($"CN=Gatehouse signing key {kid}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        var pkcs8 = rsa.ExportPkcs8PrivateKey();
        try
        {
            return new SigningKey(
                Kid: kid,
                CertificatePem: certificate.ExportCertificatePem(),
                PrivateKeyProtected: protector.Protect(Convert.ToBase64String(pkcs8), Secrets.SigningKeyPurpose),
                CreatedAt: now,
                Current: true,
                Next: false,
                RevokedAt: null,
                PublishUntil: null,
                Version: 0);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}

/// <summary>One key of /.well-known/jwks.json (Auth0's member set).</summary>
public sealed record JsonWebKeyEntry(string Kty, string Use, string Alg, string Kid, string X5t, IReadOnlyList<string> X5c, string N, string E);

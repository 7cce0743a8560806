using System.Security.Cryptography;
using Gatehouse.Core.Security;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// The 32-byte key of the secret protector, kept outside the database: <c>Secrets:MasterKey</c> (base64) when
/// configured, else <c>&lt;data-dir&gt;/keys/master.key</c>, generated at first start with mode 600.
/// </summary>
internal static class MasterKey
{
    public static byte[] Load(IConfiguration configuration, GatehouseSettings settings)
    {
        if (configuration["Secrets:MasterKey"] is { Length: > 0 } configured)
        {
            byte[] key;
            try
            {
                key = Convert.FromBase64String(configured);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException("Secrets:MasterKey must be base64.", e);
            }
            return key.Length == AesGcmSecretProtector.KeySize
                ? key
                : throw new InvalidOperationException($"Secrets:MasterKey must decode to {AesGcmSecretProtector.KeySize} bytes.");
        }
        var path = settings.DataFile("keys", "master.key");
        if (File.Exists(path))
        {
            var key = File.ReadAllBytes(path);
            return key.Length == AesGcmSecretProtector.KeySize
                ? key
                : throw new InvalidOperationException($"{path} must hold exactly {AesGcmSecretProtector.KeySize} bytes.");
        }
        var created = RandomNumberGenerator.GetBytes(AesGcmSecretProtector.KeySize);
        SecureFile.Write(path, created);
        return created;
    }
}

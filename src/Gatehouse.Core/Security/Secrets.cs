using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Core.Security;

/// <summary>Random identifiers and secrets, and the one constant-time comparison of secrets.</summary>
public static class Secrets
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Purposes bound into <see cref="ISecretProtector"/> ciphertexts.</summary>
    public const string ClientSecretPurpose = "client-secret";
    public const string SigningKeyPurpose = "signing-key";

    public static string RandomAlphanumeric(int length) => RandomNumberGenerator.GetString(Alphanumerics, length);

    public static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    public static string RandomToken(int bytes) => Base64Url.Encode(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>Constant time in the length of the inputs; never short-circuits on the first differing byte.</summary>
    public static bool FixedTimeEquals(string? a, string? b)
    {
        if (a is null || b is null)
            return false;
        var left = SHA256.HashData(Encoding.UTF8.GetBytes(a));
        var right = SHA256.HashData(Encoding.UTF8.GetBytes(b));
        return CryptographicOperations.FixedTimeEquals(left, right);
    }

    /// <summary>How refresh tokens are stored: SHA-256, base64url. They are random 256-bit values, so no salt is needed.</summary>
    public static string HashToken(string token) => Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

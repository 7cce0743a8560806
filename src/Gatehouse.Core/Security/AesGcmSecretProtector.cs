using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Core.Security;

/// <summary>
/// AES-256-GCM with a 32-byte master key held outside the database. The purpose string is the associated data,
/// so a value protected for one purpose cannot be replayed as another. Format: <c>v1.</c> + base64url(nonce|ciphertext|tag).
/// Thread-safe: an <see cref="AesGcm"/> instance must not be used by two threads at once (under load a shared one
/// corrupts its state and fails), so each call makes its own from the key; that costs about a microsecond.
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector, IDisposable
{
    private const string Prefix = "v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    public const int KeySize = 32;

    private readonly byte[] _key;

    public AesGcmSecretProtector(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length != KeySize)
            throw new ArgumentException($"The master key must be {KeySize} bytes.", nameof(masterKey));
        _key = masterKey.ToArray();
    }

    public string Protect(string plaintext, string purpose)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(purpose));
        CryptographicOperations.ZeroMemory(plain);
        return Prefix + Base64Url.Encode(output);
    }

    public string Unprotect(string protectedValue, string purpose)
    {
        ArgumentNullException.ThrowIfNull(protectedValue);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        if (!protectedValue.StartsWith(Prefix, StringComparison.Ordinal))
            throw new CryptographicException("Unknown protected value format.");
        byte[] input;
        try
        {
            input = Base64Url.Decode(protectedValue[Prefix.Length..]);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("The protected value is not valid base64url.", e);
        }
        if (input.Length < NonceSize + TagSize)
            throw new CryptographicException("The protected value is too short.");
        var cipherLength = input.Length - NonceSize - TagSize;
        var plain = new byte[cipherLength];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, cipherLength), input.AsSpan(NonceSize + cipherLength), plain, Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(plain);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}

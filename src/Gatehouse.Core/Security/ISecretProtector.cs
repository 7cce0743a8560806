namespace Gatehouse.Core.Security;

/// <summary>
/// Encrypts secrets before they reach the store (client secrets, connection secrets, signing keys,
/// upstream tokens). The key lives outside the database. Unprotect throws CryptographicException on tampering.
/// </summary>
public interface ISecretProtector
{
    string Protect(string plaintext, string purpose);

    string Unprotect(string protectedValue, string purpose);
}

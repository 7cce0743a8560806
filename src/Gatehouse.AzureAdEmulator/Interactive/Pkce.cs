using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>RFC 7636 as Entra takes it: S256 or plain, plain assumed when the method is absent.</summary>
internal static class Pkce
{
    public static bool IsSupportedMethod(string? method) => method is null or "plain" or "S256";

    /// <summary>True when the code had no challenge, or the verifier answers it (compared in constant time).</summary>
    public static bool Verify(string? challenge, string? method, string? verifier)
    {
        if (challenge is null) return true;
        if (verifier is null) return false;
        var expected = method == "S256"
            ? Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(challenge));
    }
}

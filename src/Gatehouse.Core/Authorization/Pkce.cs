using System.Security.Cryptography;
using System.Text;
using Gatehouse.Core.Security;

namespace Gatehouse.Core.Authorization;

/// <summary>PKCE (RFC 7636) with S256 only: <c>plain</c> would let a stolen code be redeemed with the challenge itself.</summary>
public static class Pkce
{
    public const string S256 = "S256";

    /// <summary>A challenge is BASE64URL(SHA-256(verifier)): exactly 43 base64url characters.</summary>
    public static bool IsValidChallenge(string challenge) =>
        challenge.Length == 43 && challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>RFC 7636 §4.1: 43 to 128 unreserved characters.</summary>
    public static bool IsValidVerifier(string verifier) =>
        verifier.Length is >= 43 and <= 128 && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    public static string Challenge(string verifier) => Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>Whether the verifier matches the challenge, compared in constant time.</summary>
    public static bool Verify(string? verifier, string challenge) =>
        verifier is not null && IsValidVerifier(verifier) && Secrets.FixedTimeEquals(Challenge(verifier), challenge);
}

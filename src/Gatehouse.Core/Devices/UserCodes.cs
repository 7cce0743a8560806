using System.Security.Cryptography;

namespace Gatehouse.Core.Devices;

/// <summary>
/// User codes in Auth0's default format: eight characters of the base-20 alphabet RFC 8628 §6.1 suggests (no vowels, no
/// look-alikes), shown as <c>XXXX-XXXX</c>: about 34.6 bits, with the /activate rate limit and attempt cap in front.
/// </summary>
public static class UserCodes
{
    private const string Alphabet = "BCDFGHJKLMNPQRSTVWXZ";
    private const int Length = 8;

    public static string New()
    {
        var chars = RandomNumberGenerator.GetString(Alphabet, Length);
        return chars[..4] + "-" + chars[4..];
    }

    /// <summary>
    /// What the user typed, in the stored form (upper case, the dash where Gatehouse puts it; spaces and dashes typed
    /// anywhere ignored), or null when it cannot be a code.
    /// </summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 32)
            return null;
        Span<char> chars = stackalloc char[Length];
        var n = 0;
        foreach (var c in typed)
        {
            if (c is '-' or ' ')
                continue;
            var upper = char.ToUpperInvariant(c);
            if (n == Length || !Alphabet.Contains(upper, StringComparison.Ordinal))
                return null;
            chars[n++] = upper;
        }
        return n == Length ? new string(chars[..4]) + "-" + new string(chars[4..]) : null;
    }
}

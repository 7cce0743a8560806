using System.Globalization;
using System.Text;

namespace Gatehouse.Core.Users;

/// <summary>
/// The one rule for the identifiers users are found by (emails, usernames, Azure AD UPNs): what is refused outright
/// (<see cref="Problem"/>) and the key two spellings of one identifier share (<see cref="Key"/>). Everything that
/// looks a user up, stores a unique key or counts attempts per user goes through here, so "ＡＤＥＬＥ@contoso.com",
/// "Adele@Contoso.com" and "adele@contoso.com" are one user everywhere, never two.
/// </summary>
public static class IdentifierNormalizer
{
    /// <summary>Longer than any real email (254) or UPN (113); anything longer is refused before a lookup.</summary>
    public const int MaxLength = 256;

    /// <summary>
    /// Why <paramref name="identifier"/> cannot be anyone's identifier, or null when it may be. Refused: more than
    /// <see cref="MaxLength"/> characters; control characters (NUL, tab, newline...); format characters (zero-width
    /// joiners and spaces, bidi overrides, soft hyphen), which make two identifiers look alike; line and paragraph
    /// separators; private-use characters; lone surrogates (not Unicode at all); U+FFFD (the mark of bytes that were
    /// not UTF-8) and the noncharacters U+FFFE/U+FFFF.
    /// </summary>
    public static string? Problem(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return identifier.Length > MaxLength ? $"is longer than {MaxLength} characters" : CharacterProblem(identifier);
    }

    /// <summary><see cref="Problem"/> without the length cap: for values with caps of their own (an audience, a scope).</summary>
    public static string? CharacterProblem(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        for (var i = 0; i < identifier.Length; i++)
        {
            var c = identifier[i];
            if (c < 0x80)
            {
                if (c < 0x20 || c == 0x7F)
                    return "contains a control character";
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < identifier.Length && char.IsLowSurrogate(identifier[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, identifier[++i]));
                if (category is UnicodeCategory.Format or UnicodeCategory.PrivateUse)
                    return "contains an invisible or private-use character";
                continue;
            }
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Surrogate:
                    return "is not valid Unicode (a lone surrogate)";
                case UnicodeCategory.Control:
                    return "contains a control character";
                case UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse:
                    return "contains an invisible or private-use character";
            }
            if (c is '\uFFFD' or '\uFFFE' or '\uFFFF')
                return "is not valid UTF-8 text";
        }
        return null;
    }

    /// <summary>
    /// The lookup key: Unicode compatibility normalization (NFKC, so fullwidth and other compatibility forms equal
    /// their plain letters) and invariant lower case, repeated until stable so <c>Key(Key(x)) == Key(x)</c>. ASCII
    /// (nearly every real email and UPN) is only lowercased, exactly as keys were before this rule. Never throws:
    /// text that is not valid Unicode is only lowercased (<see cref="Problem"/> refuses it where it matters).
    /// </summary>
    public static string Key(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (Ascii.IsValid(identifier))
            return identifier.ToLowerInvariant();
        var key = identifier;
        for (var round = 0; round < 4; round++)
        {
            if (Nfkc.Normalize(key) is not { } normalized)
                return identifier.ToLowerInvariant(); // lone surrogates: NFKC is undefined
            var next = normalized.ToLowerInvariant();
            if (next == key)
                break;
            key = next;
        }
        return key;
    }

    /// <summary><see cref="Key"/> of a value that may be absent.</summary>
    public static string? KeyOrNull(string? identifier) => identifier is null ? null : Key(identifier);
}

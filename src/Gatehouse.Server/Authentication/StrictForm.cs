using System.Text;

namespace Gatehouse.Server.Authentication;

/// <summary>
/// application/x-www-form-urlencoded decoding with no second guesses: <c>+</c> is a space, <c>%XX</c> is a byte, the
/// bytes of a name or value must be UTF-8. Lenient decoders keep a malformed <c>%FF</c> or <c>%4</c> as literal
/// text, so one body would mean different things to Gatehouse and to a proxy or logger in front of it.
/// </summary>
internal static class StrictForm
{
    /// <summary>Decoded (name, value) pairs in body order, or null with the reason the body is malformed.</summary>
    public static (List<KeyValuePair<string, string>>? Pairs, string? Error) Parse(string body)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var segment in body.Split('&'))
        {
            if (segment.Length == 0)
                continue;
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? segment : segment[..equals]);
            var value = equals < 0 ? "" : Decode(segment[(equals + 1)..]);
            if (name is null || value is null)
                return (null, "The form body has a malformed percent-encoding or bytes that are not UTF-8.");
            pairs.Add(KeyValuePair.Create(name, value));
        }
        return (pairs, null);
    }

    private static readonly UTF8Encoding Utf8 = new(false, throwOnInvalidBytes: true);

    private static string? Decode(string text)
    {
        if (!text.Contains('%', StringComparison.Ordinal) && !text.Contains('+', StringComparison.Ordinal))
            return text;
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                    return null;
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                // Raw non-ASCII in the body (clients should percent-encode it): keep its UTF-8 bytes.
                var end = char.IsHighSurrogate(c) && i + 1 < text.Length ? i + 2 : i + 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i..end]));
                i = end - 1;
            }
        }
        try
        {
            return Utf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;

namespace Gatehouse.Server.Tests.Properties;

/// <summary>
/// Random input built from a seed, weighted towards what breaks parsers: separators, escapes, quotes, brackets,
/// NUL and control characters, lone surrogates, zero-width and fullwidth characters. The same seed gives the same
/// input, so FsCheck's counterexample (the seed) reproduces a failure.
/// </summary>
internal static class HostileText
{
    private static readonly string[] Pieces =
    [
        "a", "Z", "0", "9", "@", ".", "-", "_", " ", "+", "&", "=", "%", "%00", "%ff", "%4", "%2B", "%26", "%3D", "\"", "'", "\\",
        "{", "}", "[", "]", ":", ",", "*", "?", "~", "^", "(", ")", "\0", "\t", "\n", "\r", "\u0085", "\u200B", "\u202E", "\uFEFF",
        "\uD800", "\uDC00", "😀", "ａ", "Ａ", "＠", "ß", "İ", "\u212A", "é", "e\u0301", "\uFFFD", "OR", "AND", "NOT", "TO",
        "email:", "name:", "_exists_:", "username", "password", "grant_type", "client_id", "null", "true", "1e309", "-0",
    ];

    public static string Text(Random random, int maxPieces = 24)
    {
        var builder = new StringBuilder();
        var count = random.Next(maxPieces + 1);
        for (var i = 0; i < count; i++)
            builder.Append(Pieces[random.Next(Pieces.Length)]);
        return builder.ToString();
    }

    /// <summary>Raw bytes: sometimes valid UTF-8 of <see cref="Text"/>, sometimes not UTF-8 at all.</summary>
    public static byte[] Bytes(Random random)
    {
        if (random.Next(4) == 0)
        {
            var bytes = new byte[random.Next(64)];
            random.NextBytes(bytes);
            return bytes;
        }
        return Encoding.UTF8.GetBytes(Text(random).Replace("\uD800", "", StringComparison.Ordinal).Replace("\uDC00", "", StringComparison.Ordinal));
    }

    /// <summary>A random JSON value: objects favour <paramref name="names"/>, so bodies get past "unknown property" now and then.</summary>
    public static JsonNode? Json(Random random, IReadOnlyList<string> names, int depth = 0)
    {
        switch (random.Next(depth > 3 ? 5 : 8))
        {
            case 0: return null;
            case 1: return JsonValue.Create(random.Next(2) == 0);
            case 2: return JsonValue.Create(random.Next(-5, 100_000));
            case 3: return JsonValue.Create(Text(random, 6));
            case 4: return JsonValue.Create(random.Next(3) == 0 ? "" : names[random.Next(names.Count)]);
            case 5:
            case 6:
                var obj = new JsonObject();
                for (var i = random.Next(5); i > 0; i--)
                    obj[random.Next(4) == 0 ? Text(random, 3) : names[random.Next(names.Count)]] = Json(random, names, depth + 1);
                return obj;
            default:
                var array = new JsonArray();
                for (var i = random.Next(4); i > 0; i--)
                    array.Add(Json(random, names, depth + 1));
                return array;
        }
    }
}

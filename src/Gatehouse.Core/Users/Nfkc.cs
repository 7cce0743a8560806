using System.Globalization;
using System.Text;

namespace Gatehouse.Core.Users;

/// <summary>
/// Unicode compatibility normalization without ICU: Gatehouse runs with InvariantGlobalization, where
/// <see cref="string.Normalize()"/> changes nothing. The data (Nfkc.txt, from scripts/unicode/nfkc-table.py) is the
/// NFKC form of every code point it changes, and the canonical pairs NFC composes. Applied per code point and then
/// pairwise, this equals NFKC for identifiers people type (one combining mark after a letter); it does not reorder
/// stacked combining marks, which no email or UPN carries.
/// </summary>
internal static class Nfkc
{
    private static readonly Lazy<(Dictionary<int, string> Map, Dictionary<(int, int), int> Pairs)> Data = new(Load);

    /// <summary>The compatibility form of <paramref name="text"/>, or null when it holds a lone surrogate.</summary>
    public static string? Normalize(string text)
    {
        var (map, pairs) = Data.Value;
        var mapped = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            int cp;
            if (char.IsSurrogate(text[i]))
            {
                if (!char.IsHighSurrogate(text[i]) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return null;
                cp = char.ConvertToUtf32(text[i], text[++i]);
            }
            else
            {
                cp = text[i];
            }
            if (map.TryGetValue(cp, out var replacement))
                mapped.Append(replacement);
            else
                mapped.Append(char.ConvertFromUtf32(cp));
        }
        return Compose(mapped.ToString(), pairs);
    }

    private static string Compose(string text, Dictionary<(int, int), int> pairs)
    {
        var result = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var cp = char.ConvertToUtf32(text, i);
            if (cp > 0xFFFF)
                i++;
            if (result.Count > 0 && pairs.TryGetValue((result[^1], cp), out var composed))
                result[^1] = composed;
            else
                result.Add(cp);
        }
        var builder = new StringBuilder(text.Length);
        foreach (var cp in result)
            builder.Append(char.ConvertFromUtf32(cp));
        return builder.ToString();
    }

    private static (Dictionary<int, string>, Dictionary<(int, int), int>) Load()
    {
        var map = new Dictionary<int, string>();
        var pairs = new Dictionary<(int, int), int>();
        using var stream = typeof(Nfkc).Assembly.GetManifestResourceStream("Gatehouse.Core.Users.Nfkc.txt")
            ?? throw new InvalidOperationException("The NFKC data (Users/Nfkc.txt) is not embedded in Gatehouse.Core.");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var parts = line.Split(' ');
            var numbers = parts.Skip(1).Select(p => int.Parse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            if (parts[0] == "M")
                map[numbers[0]] = string.Concat(numbers.Skip(1).Select(char.ConvertFromUtf32));
            else
                pairs[(numbers[0], numbers[1])] = numbers[2];
        }
        return (map, pairs);
    }
}

using System.Text.Json;

namespace Gatehouse.Core.Security;

/// <summary>A place in a JSON document that no honest client writes, and what is wrong there.</summary>
/// <param name="Duplicate">The problem is a property name used twice (Path names it).</param>
public sealed record JsonProblem(string Path, string Problem, bool Duplicate = false);

/// <summary>
/// The checks System.Text.Json leaves to the reader, made once over a whole parsed document so no code further on
/// meets them: a property name used twice in one object (which one wins is parser-specific: an ambiguity attackers
/// use to get one meaning past a check and another into effect), escaped lone surrogates (<c>"\ud800"</c>, which make
/// <see cref="JsonElement.GetString"/> throw), and NUL characters (which PostgreSQL refuses in text).
/// </summary>
public static class StrictJson
{
    /// <summary>The first problem in <paramref name="root"/>, or null. The walk is bounded by the parser's MaxDepth.</summary>
    public static JsonProblem? Find(JsonElement root) => Find(root, "");

    private static JsonProblem? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (Text(property, out var name) is { } nameProblem)
                        return new JsonProblem(path.Length == 0 ? "(a property name)" : path, nameProblem);
                    var child = path.Length == 0 ? name : path + "." + name;
                    if (!seen.Add(name))
                        return new JsonProblem(child, "appears more than once", Duplicate: true);
                    if (Find(property.Value, child) is { } inner)
                        return inner;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{path}[{index++}]") is { } inner)
                        return inner;
                }
                return null;
            case JsonValueKind.String:
                return Text(element, out _) is { } problem ? new JsonProblem(path, problem) : null;
            default:
                return null;
        }
    }

    private static string? Text(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return "is not valid Unicode (a lone surrogate)";
        }
        return name.Contains('\0', StringComparison.Ordinal) ? "contains a NUL character" : null;
    }

    private static string? Text(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return "is not valid Unicode (a lone surrogate)";
        }
        return text.Contains('\0', StringComparison.Ordinal) ? "contains a NUL character" : null;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gatehouse.AzureAd.Emulator;

/// <summary>Reads and writes seed documents: camelCase, unknown properties refused, comments allowed.</summary>
public static class SeedJson
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Parses and validates a seed; throws <see cref="SeedValidationException"/> naming the mistake.</summary>
    public static EmulatorSeed Parse(string json)
    {
        var seed = Deserialize<EmulatorSeed>(json);
        SeedValidator.ThrowIfInvalid(seed);
        return seed;
    }

    public static EmulatorSeed Load(string path) => Parse(File.ReadAllText(path));

    public static string Serialize(EmulatorSeed seed) => JsonSerializer.Serialize(seed, Options);

    /// <summary>Deserializes one seed part, turning JSON errors into a path + reason.</summary>
    internal static T Deserialize<T>(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new SeedValidationException([new SeedError("$", "the document is null")]);
        }
        catch (JsonException e)
        {
            var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
            throw new SeedValidationException([new SeedError(path, FirstSentence(e.Message))]);
        }
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: ... | LineNumber: ..." which the path already says.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

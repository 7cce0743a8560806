using System.Text.Json;
using Gatehouse.Core.Security;

namespace Gatehouse.Server.Dashboard.Services;

/// <summary>A token's header and payload as indented JSON, for reading (no signature check: Gatehouse just issued it).</summary>
public static class JwtDisplay
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static (string Header, string Payload)? Decode(string? jwt)
    {
        var parts = jwt?.Split('.');
        if (parts is not { Length: 3 })
            return null;
        try
        {
            return (Pretty(parts[0]), Pretty(parts[1]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string Pretty(string segment) =>
        JsonSerializer.Serialize(JsonDocument.Parse(Base64Url.Decode(segment)).RootElement, Indented);
}

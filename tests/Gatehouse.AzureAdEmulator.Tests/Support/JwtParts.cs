using System.Buffers.Text;
using System.Text.Json;

namespace Gatehouse.AzureAd.Emulator.Tests.Support;

/// <summary>Decodes a compact JWT for assertions (no validation).</summary>
public sealed record JwtParts(JsonElement Header, JsonElement Payload, string Signature)
{
    public static JwtParts Decode(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return new JwtParts(
            JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement,
            JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement,
            parts[2]);
    }

    public string Claim(string name) => Payload.GetProperty(name).GetString()!;

    public bool Has(string name) => Payload.TryGetProperty(name, out _);
}

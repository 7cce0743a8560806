using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Gatehouse.AzureAd.Emulator.Tokens;

internal enum JwtStyle
{
    /// <summary>v1: <c>{"typ","alg":"RS256","x5t","kid"}</c>.</summary>
    V1Signed,
    /// <summary>v2: <c>{"typ","alg":"RS256","kid"}</c>.</summary>
    V2Signed,
    /// <summary>v1 token-endpoint id_token: <c>{"typ":"JWT","alg":"none"}</c>, empty signature segment.</summary>
    Unsigned,
}

/// <summary>Writes and reads compact JWTs without a token library, so the bytes are exactly Entra's shape.</summary>
internal static class Jwt
{
    private static readonly byte[] UnsignedHeader = "{\"typ\":\"JWT\",\"alg\":\"none\"}"u8.ToArray();

    public static string Create(JwtStyle style, SigningKey key, Action<Utf8JsonWriter> writePayload)
    {
        var header = style == JwtStyle.Unsigned ? UnsignedHeader : SignedHeader(style, key);
        var payload = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(payload))
        {
            w.WriteStartObject();
            writePayload(w);
            w.WriteEndObject();
        }
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload.WrittenSpan);
        if (style == JwtStyle.Unsigned) return signingInput + ".";
        var signature = key.Sign(System.Text.Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Splits a compact JWT and parses its header and payload; false when it is not one.</summary>
    public static bool TryRead(string token, out JsonElement header, out JsonElement payload)
    {
        header = default;
        payload = default;
        var parts = token.Split('.');
        if (parts.Length != 3) return false;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.Clone();
            payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
            return header.ValueKind == JsonValueKind.Object && payload.ValueKind == JsonValueKind.Object;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Checks the RS256 signature of a compact JWT with the given key.</summary>
    public static bool VerifySignature(string token, SigningKey key)
    {
        var lastDot = token.LastIndexOf('.');
        if (lastDot <= 0 || lastDot == token.Length - 1) return false;
        try
        {
            var signature = Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1));
            return key.Verify(System.Text.Encoding.ASCII.GetBytes(token[..lastDot]), signature);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] SignedHeader(JwtStyle style, SigningKey key)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("typ", "JWT");
            w.WriteString("alg", "RS256");
            if (style == JwtStyle.V1Signed) w.WriteString("x5t", key.Kid);
            w.WriteString("kid", key.Kid);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

namespace Gatehouse.Core.Security;

/// <summary>Unpadded base64url (RFC 4648 §5), as JOSE and our token formats use it.</summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>Throws <see cref="FormatException"/> for anything that is not base64url.</summary>
    public static byte[] Decode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}

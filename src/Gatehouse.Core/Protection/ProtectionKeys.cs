using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.Core.Users;

namespace Gatehouse.Core.Protection;

/// <summary>
/// One counter that can block an identifier: brute force per identifier + IP (<see cref="Ip"/> set), per identifier
/// (no IP), or the upstream-lockout guard of a waad connection (<see cref="Upstream"/>). Kept, as JSON, in the
/// identifier's block index so the Management API can list and lift blocks without scanning keys.
/// </summary>
public sealed record BlockEntry(
    [property: JsonPropertyName("c")] string ConnectionId,
    [property: JsonPropertyName("n")] string ConnectionName,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("u")] bool Upstream)
{
    public string Member() => JsonSerializer.Serialize(this);

    public static BlockEntry? Parse(string member)
    {
        try
        {
            return JsonSerializer.Deserialize<BlockEntry>(member);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string CounterKey(string identifier) =>
        (Upstream ? "up|" : "bf|") + Escape(ConnectionId) + "|" + ProtectionKeys.Identifier(identifier) + (Ip is null ? "" : "|" + Ip);

    private static string Escape(string value) => Uri.EscapeDataString(value);
}

/// <summary>Counter key names (shared by every node, so they are part of the deployment's contract with Redis).</summary>
public static class ProtectionKeys
{
    /// <summary>
    /// Identifiers compare trimmed and with the user lookups' key (<see cref="IdentifierNormalizer.Key"/>: NFKC,
    /// lower case invariant): "Pat@Example.com " is pat@example.com, so no spelling of a name escapes its count.
    /// </summary>
    public static string Normalize(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return IdentifierNormalizer.Key(identifier.Trim());
    }

    /// <summary>The identifier inside a key: escaped, and hashed when long so a key stays small whatever was typed.</summary>
    public static string Identifier(string normalized) =>
        normalized.Length <= 256 ? Uri.EscapeDataString(normalized) : "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));

    public static string BlockIndex(string normalized) => "bfidx|" + Identifier(normalized);

    public static string IpBucket(string ip) => "sit|" + ip;
}

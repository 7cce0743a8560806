using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.Core.Security;
using Gatehouse.Core.Users;
using System.Net;

namespace Gatehouse.Core.Protection;

/// <summary>
/// One counter that can block an identifier: brute force per identifier + address (<see cref="Ip"/> set, an
/// <see cref="ProtectionKeys.Address"/>), per identifier (no IP), or the upstream-lockout guard (<see cref="Upstream"/>,
/// counted per upstream <see cref="Account"/> across connections). Kept, as JSON, in the identifier's block index so
/// the Management API can list and lift blocks without scanning keys.
/// </summary>
public sealed record BlockEntry(
    [property: JsonPropertyName("c")] string ConnectionId,
    [property: JsonPropertyName("n")] string ConnectionName,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("u")] bool Upstream)
{
    /// <summary>The guard's account key (<see cref="ProtectionKeys.UpstreamAccount"/>); null for brute-force entries.</summary>
    [JsonPropertyName("a")]
    public string? Account { get; init; }

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
        Upstream && Account is not null
            ? ProtectionKeys.UpstreamCount(Account, familiar: false)
            : "bf|" + Escape(ConnectionId) + "|" + ProtectionKeys.Identifier(identifier) + (Ip is null ? "" : "|" + Ip);

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

    /// <summary>
    /// The one address rule of every per-IP counter, the same as the rate limits' (<see cref="ClientAddresses.Key"/>):
    /// IPv4 as is (IPv4-mapped IPv6 folded to it), IPv6 per /64, so one host's /64 is one counter, not 2^64.
    /// </summary>
    public static string Address(string ip) =>
        IPAddress.TryParse(ip, out var address) ? ClientAddresses.Key(address) : ip;

    public static string IpBucket(string ip) => "sit|" + Address(ip);

    /// <summary>An upstream account by the username typed at a directory (any directory when the connection cannot name it).</summary>
    public static string UpstreamAccount(string? directory, string normalized) =>
        "user|" + Uri.EscapeDataString(directory ?? "*") + "|" + Identifier(normalized);

    /// <summary>An upstream account by its id in its directory (Azure AD: tid and oid), once a login told it.</summary>
    public static string UpstreamAccount(Gatehouse.Core.Connections.UpstreamAccount account) =>
        "id|" + Uri.EscapeDataString(account.Directory) + "|" + Uri.EscapeDataString(account.Id);

    /// <summary>The accounts a username was seen signing in as (its aliases meet there).</summary>
    public static string UpstreamLinks(string normalized) => "uplink|" + Identifier(normalized);

    /// <summary>The guard's wrong-password count for an account, from familiar or unfamiliar addresses.</summary>
    public static string UpstreamCount(string account, bool familiar) => "up|" + account + (familiar ? "|f" : "|u");

    /// <summary>The addresses an account signed in from lately.</summary>
    public static string FamiliarAddresses(string account) => "upfam|" + account;
}

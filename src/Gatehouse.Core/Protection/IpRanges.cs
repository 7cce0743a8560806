using System.Net;

namespace Gatehouse.Core.Protection;

/// <summary>Allowlist entries: IPv4/IPv6 addresses and CIDR ranges. IPv4-mapped IPv6 addresses match their IPv4 form.</summary>
public static class IpRanges
{
    /// <summary>Parses one allowlist entry; false for anything that is not an address or a CIDR range with its network address.</summary>
    public static bool TryParse(string? entry, out IPNetwork range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(entry) || entry != entry.Trim())
            return false;
        if (entry.Split('/') is [var network, var prefix])
        {
            // The network address itself ("10.0.0.0/8", not "10.0.0.1/8") and a plain prefix length.
            return prefix.Length is > 0 and <= 3 && prefix.All(char.IsAsciiDigit)
                && IPAddress.TryParse(network, out var baseAddress) && baseAddress.ToString() == Canonical(network, baseAddress)
                && IPNetwork.TryParse(entry, out range) && range.BaseAddress.Equals(baseAddress);
        }
        if (!IPAddress.TryParse(entry, out var address) || address.ToString() != Canonical(entry, address))
            return false;
        address = Normalize(address);
        range = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    /// <summary>True when <paramref name="ip"/> is inside any entry (entries that do not parse never match).</summary>
    public static bool Contains(IReadOnlyList<string> allowlist, string? ip)
    {
        if (allowlist.Count == 0 || ip is null || !IPAddress.TryParse(ip, out var address))
            return false;
        address = Normalize(address);
        foreach (var entry in allowlist)
        {
            if (TryParse(entry, out var range) && range.Contains(address))
                return true;
        }
        return false;
    }

    /// <summary>The canonical text of an IP address, or null when it is not one (e.g. a route segment).</summary>
    public static string? Canonicalize(string? text) =>
        text is not null && text == text.Trim() && IPAddress.TryParse(text, out var address) && LooksLikeAddress(text)
            ? Normalize(address).ToString()
            : null;

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    // IPAddress.TryParse takes "1", "1.2" and "0x7f.1" as IPv4; an allowlist entry must be the dotted quad itself.
    private static string Canonical(string entry, IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? entry : address.ToString();

    private static bool LooksLikeAddress(string text) =>
        text.Contains(':', StringComparison.Ordinal) || (text.Count(c => c == '.') == 3 && text.All(c => char.IsAsciiDigit(c) || c == '.'));
}

using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Core.Security;

/// <summary>
/// One rule for "the same client address", used by rate limits, every attack-protection counter (through
/// ProtectionKeys.Address) and refresh-token IP binding: IPv4 as is (mapped
/// IPv6 forms folded), IPv6 per /64, since one host usually owns a whole /64 and privacy addresses change inside it.
/// </summary>
public static class ClientAddresses
{
    public static string Key(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>True when both parse and have the same <see cref="Key"/>; false when either does not parse.</summary>
    public static bool Same(string? a, string? b) =>
        IPAddress.TryParse(a, out var left) && IPAddress.TryParse(b, out var right) && Key(left) == Key(right);
}

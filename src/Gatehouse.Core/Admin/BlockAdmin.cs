using System.Text.Json;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>
/// Lifting attack-protection blocks, from any door: brute-force blocks by identifier or by user (Auth0's user-blocks),
/// and suspicious IP throttling of one address (Auth0's anomaly blocks); each lift is one audit event naming the actor.
/// Never lifts an administrator's block (<c>blocked: true</c> on the user: that is <see cref="UserAdmin"/>'s).
/// </summary>
public sealed class BlockAdmin(BruteForceCounter blocks, SuspiciousIpThrottle throttle, AdminAudit audit)
{
    public async Task LiftIdentifierAsync(AdminActor actor, string identifier, CancellationToken ct)
    {
        await blocks.UnblockAsync(identifier, null, ct);
        await audit.RecordAsync(actor, new AdminChange("Lift brute-force blocks by identifier", "delete", "/api/v2/user-blocks", 204), ct);
    }

    public async Task LiftUserAsync(AdminActor actor, User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        foreach (var identifier in IdentifiersOf(user))
            await blocks.UnblockAsync(identifier, user.ConnectionId, ct);
        await audit.RecordAsync(actor, new AdminChange("Lift a user's brute-force blocks", "delete", "/api/v2/user-blocks/" + user.UserId, 204), ct);
    }

    /// <summary>Gives the address a full bucket again.</summary>
    public async Task LiftIpAsync(AdminActor actor, string ip, CancellationToken ct)
    {
        var canonical = CanonicalIp(ip);
        await throttle.UnblockAsync(canonical, ct);
        await audit.RecordAsync(actor, new AdminChange("Lift the throttling of an IP address", "delete", "/api/v2/anomaly/blocks/ips/" + canonical, 204), ct);
    }

    /// <summary>The address in the one form the throttle counts it under.</summary>
    public static string CanonicalIp(string ip)
    {
        const string message = "Invalid IP address: expected an IPv4 or IPv6 address.";
        return IpRanges.Canonicalize(ip) ?? throw new AdminException(AdminRefusal.Invalid, message, "invalid_uri", [new AdminProblem("ip", message)]);
    }

    /// <summary>What the user may type as username: e-mail, username, phone, and for waad users the UPN.</summary>
    public static IEnumerable<string> IdentifiersOf(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var upn = user.Attributes is { ValueKind: JsonValueKind.Object } attributes && attributes.TryGetProperty("upn", out var value)
            && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return new[] { user.Email, user.Username, user.PhoneNumber, upn }
            .OfType<string>().Where(s => s.Length > 0).Select(ProtectionKeys.Normalize).Distinct(StringComparer.Ordinal);
    }
}

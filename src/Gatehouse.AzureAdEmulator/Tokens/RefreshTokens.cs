using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.AzureAd.Emulator.Tokens;

/// <summary>
/// What a refresh token stands for. Multi-resource: it can be redeemed for any consented resource. IssuedAt (this token)
/// judges inactivity and revocation; AuthTime (the sign-in it descends from, kept across refreshes) judges the
/// Conditional Access sign-in frequency. Both exact to the tick, so a revocation splits tokens of the same second.
/// </summary>
internal sealed record RefreshGrant(string TenantId, string UserId, string ClientId, string ResourceAppId, DateTimeOffset IssuedAt, DateTimeOffset AuthTime);

/// <summary>
/// Opaque, self-contained refresh tokens: the grant plus an HMAC under a key made at start, so nothing is
/// stored per sign-in and a tampered token is refused.
/// </summary>
internal sealed class RefreshTokens
{
    private const string Prefix = "0.A";
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Create(RefreshGrant grant)
    {
        var body = string.Join('|', grant.TenantId, grant.UserId, grant.ClientId, grant.ResourceAppId,
            grant.IssuedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), grant.AuthTime.UtcTicks.ToString(CultureInfo.InvariantCulture),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12)));
        var bytes = Encoding.UTF8.GetBytes(body);
        return Prefix + Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, bytes));
    }

    public RefreshGrant? Read(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var dot = token.IndexOf('.', Prefix.Length);
        if (dot < 0) return null;
        try
        {
            var bytes = Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length, dot - Prefix.Length));
            var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, bytes))) return null;
            var f = Encoding.UTF8.GetString(bytes).Split('|');
            return f.Length == 7
                ? new RefreshGrant(f[0], f[1], f[2], f[3], Ticks(f[4]), Ticks(f[5]))
                : null;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static DateTimeOffset Ticks(string value) => new(long.Parse(value, CultureInfo.InvariantCulture), TimeSpan.Zero);
}

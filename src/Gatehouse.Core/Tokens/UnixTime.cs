using System.Globalization;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Core.Tokens;

/// <summary>JWT NumericDate claims (exp, nbf, iat) as times, for any number a token may carry.</summary>
public static class UnixTime
{
    // A day inside DateTimeOffset's range, so adding or subtracting a clock skew cannot overflow either.
    private static readonly long Min = DateTimeOffset.MinValue.AddDays(1).ToUnixTimeSeconds();
    private static readonly long Max = DateTimeOffset.MaxValue.AddDays(-1).ToUnixTimeSeconds();

    /// <summary>
    /// The time <paramref name="seconds"/> after 1970, clamped to a day inside what <see cref="DateTimeOffset"/> holds:
    /// <see cref="DateTimeOffset.FromUnixTimeSeconds"/> throws outside that range, and a token's claim is not ours to trust.
    /// </summary>
    public static DateTimeOffset From(long seconds) => DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, Min, Max));

    /// <summary>
    /// A NumericDate claim as RFC 7519 §2 defines it: a JSON number (a string of digits is not one, although
    /// <see cref="JsonWebToken.TryGetPayloadValue{T}"/> would convert it). False when absent or not a number.
    /// </summary>
    public static bool TryGetNumericDate(JsonWebToken token, string name, out DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(token);
        value = default;
        if (!token.TryGetClaim(name, out var claim)
            || claim.ValueType is not (ClaimValueTypes.Integer or ClaimValueTypes.Integer32 or ClaimValueTypes.Integer64
                or ClaimValueTypes.UInteger32 or ClaimValueTypes.UInteger64 or ClaimValueTypes.Double)
            || !double.TryParse(claim.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || double.IsNaN(seconds))
            return false;
        value = From((long)Math.Clamp(Math.Floor(seconds), long.MinValue / 2, long.MaxValue / 2));
        return true;
    }
}

using System.Globalization;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Users;

/// <summary>The OIDC standard claims a user gets for the granted scopes (id_token and /userinfo share this).</summary>
public static class ProfileClaims
{
    public static Dictionary<string, object> For(User user, IReadOnlyCollection<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(scopes);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        if (scopes.Contains("profile"))
        {
            Add(claims, "name", user.Name);
            Add(claims, "given_name", user.GivenName);
            Add(claims, "family_name", user.FamilyName);
            Add(claims, "nickname", user.Nickname);
            Add(claims, "preferred_username", user.Username);
            Add(claims, "picture", user.Picture);
            claims["updated_at"] = FormatDate(user.UpdatedAt);
        }
        if (scopes.Contains("email") && user.Email is not null)
        {
            claims["email"] = user.Email;
            claims["email_verified"] = user.EmailVerified;
        }
        if (scopes.Contains("phone") && user.PhoneNumber is not null)
            claims["phone_number"] = user.PhoneNumber;
        return claims;
    }

    /// <summary>Auth0's date format: ISO 8601 UTC with milliseconds, e.g. 2023-11-15T14:30:00.000Z.</summary>
    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void Add(Dictionary<string, object> claims, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            claims[name] = value;
    }
}

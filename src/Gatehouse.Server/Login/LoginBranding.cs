using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Login;

/// <summary>
/// The tenant's look on the login page, checked before it reaches HTML or CSS: the name (<c>friendly_name</c>), a logo
/// (branding <c>logo_url</c>, else the tenant's <c>picture_url</c>) only as an absolute https URL, and the primary
/// colour (branding <c>colors.primary</c>) only as <c>#rgb</c> or <c>#rrggbb</c>. Anything else is dropped, never escaped
/// into place. Branding is Auth0's <c>/api/v2/branding</c> document, kept by <see cref="Gatehouse.Core.Admin.BrandingAdmin"/>.
/// </summary>
internal sealed partial record LoginBranding(string? Name, Uri? Logo, string? Primary)
{
    /// <summary>Gatehouse's own button colour (white text on it: 7.1:1).</summary>
    public const string DefaultPrimary = "#0b5cad";

    public static LoginBranding From(TenantSettings? tenant)
    {
        var extra = tenant?.Extra is { ValueKind: JsonValueKind.Object } e ? e : default;
        var branding = extra.ValueKind == JsonValueKind.Object && extra.TryGetProperty(Gatehouse.Core.Admin.BrandingAdmin.ExtraKey, out var b) && b.ValueKind == JsonValueKind.Object ? b : default;
        var logo = HttpsUrl(StringAt(branding, "logo_url")) ?? HttpsUrl(StringAt(extra, "picture_url"));
        var colors = branding.ValueKind == JsonValueKind.Object && branding.TryGetProperty("colors", out var c) ? c : default;
        var primary = StringAt(colors, "primary") is { } colour && HexColour().IsMatch(colour) ? colour.ToLowerInvariant() : null;
        return new LoginBranding(string.IsNullOrWhiteSpace(tenant?.FriendlyName) ? null : tenant.FriendlyName, logo, primary);
    }

    /// <summary>True for a colour this page can use: <c>#rgb</c> or <c>#rrggbb</c>.</summary>
    public static bool IsHexColour(string? value) => value is not null && HexColour().IsMatch(value);

    /// <summary>An absolute https URL without credentials, or null.</summary>
    public static Uri? HttpsUrl(string? value) =>
        value is { Length: > 0 and <= 2048 } && Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(uri.UserInfo)
            ? uri
            : null;

    /// <summary>The colour buttons use, and the text colour on it with the better contrast (black or white: always ≥ 4.5:1).</summary>
    public (string Background, string Ink) Button()
    {
        var colour = Primary ?? DefaultPrimary;
        var luminance = Luminance(colour);
        var onWhite = 1.05 / (luminance + 0.05);
        var onBlack = (luminance + 0.05) / 0.05;
        return (colour, onWhite >= onBlack ? "#ffffff" : "#000000");
    }

    /// <summary>WCAG relative luminance of a checked hex colour.</summary>
    private static double Luminance(string hex)
    {
        var digits = hex.Length == 4 ? string.Concat(hex[1..].Select(d => $"{d}{d}")) : hex[1..];
        double Channel(int i)
        {
            var c = int.Parse(digits.AsSpan(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return (0.2126 * Channel(0)) + (0.7152 * Channel(1)) + (0.0722 * Channel(2));
    }

    private static string? StringAt(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [GeneratedRegex("^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColour();
}

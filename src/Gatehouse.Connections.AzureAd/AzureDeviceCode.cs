using System.Globalization;
using System.Text.Json;
using Gatehouse.Core.Security;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// Azure AD's device authorization answer (interactive-flows.md §6.1): v2's <c>verification_uri</c> with integers, or
/// v1's <c>verification_url</c> with numbers as strings. Anything else is an <see cref="UpstreamCallException"/>.
/// </summary>
internal sealed record AzureDeviceCode(string DeviceCode, string UserCode, Uri VerificationUri, int ExpiresIn, int Interval)
{
    /// <summary>Azure's interval when it names none (RFC 8628 §3.2's default).</summary>
    private const int DefaultInterval = 5;

    public static AzureDeviceCode Parse(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || StrictJson.Find(root) is not null)
            {
                throw Broken("not a well-formed JSON object");
            }

            var deviceCode = Str(root, "device_code");
            var userCode = Str(root, "user_code");
            var uri = Str(root, "verification_uri") ?? Str(root, "verification_url");
            if (deviceCode is not { Length: > 0 and <= 4096 } || userCode is not { Length: > 0 and <= 64 }
                || !Uri.TryCreate(uri, UriKind.Absolute, out var verification) || verification.Scheme != Uri.UriSchemeHttps)
            {
                throw Broken("no device_code, user_code or https verification_uri");
            }

            return new AzureDeviceCode(deviceCode, userCode, verification,
                Int(root, "expires_in") is { } e and > 0 ? e : throw Broken("no expires_in"),
                Int(root, "interval") is { } i and > 0 ? i : DefaultInterval);
        }
        catch (JsonException)
        {
            throw Broken("malformed JSON");
        }
    }

    private static UpstreamCallException Broken(string what) => new($"device code: answer {what}", null, false);

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ValueKind switch
    {
        JsonValueKind.Number when v.TryGetInt32(out var n) => n,
        JsonValueKind.String when int.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    } : null;
}

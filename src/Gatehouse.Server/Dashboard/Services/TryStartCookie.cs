using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Gatehouse.Server.Dashboard.Services;

/// <summary>What a browser try started with: checked on its return, never sent anywhere else.</summary>
public sealed record TryStart(string State, string Nonce, string Verifier, string Connection, string AdministratorId, bool EnabledNow);

/// <summary>
/// The started try kept in the administrator's browser: encrypted and signed by data protection (10 minutes), one cookie
/// per browser (a new start replaces it), sent only to the callback, removed by the first callback that reads it.
/// SameSite=Lax, because the callback is a top-level GET at the end of redirects that began on the provider's site,
/// where a Strict cookie is withheld; Lax still keeps it off cross-site subresources and POSTs.
/// </summary>
public sealed class TryStartCookie(IDataProtectionProvider protection)
{
    public const string Name = "gatehouse_dashboard_try";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("Gatehouse.Dashboard.TryInTheBrowser").ToTimeLimitedDataProtector();

    public static string Path => DashboardSetup.BasePath + "/try/callback";

    public void Set(HttpContext http, TryStart start)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Append(Name, _protector.Protect(JsonSerializer.Serialize(start), Lifetime), Options(Lifetime));
    }

    /// <summary>The start this browser holds (null when none, expired or forged); the cookie is removed either way.</summary>
    public TryStart? Take(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var value = http.Request.Cookies[Name];
        if (value is null)
            return null;
        http.Response.Cookies.Delete(Name, Options(TimeSpan.Zero));
        if (value.Length > 4096)
            return null;
        try
        {
            return JsonSerializer.Deserialize<TryStart>(_protector.Unprotect(value));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private static CookieOptions Options(TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = Path,
        MaxAge = maxAge,
        IsEssential = true,
    };
}

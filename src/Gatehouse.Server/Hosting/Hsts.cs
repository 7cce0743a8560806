using System.Globalization;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// <c>Strict-Transport-Security: max-age=&lt;Hsts:MaxAgeSeconds&gt;</c> (default a year; 0 turns it off) on every HTTPS
/// response, a TLS-terminating proxy's included when <see cref="KnownProxies"/> forwards the scheme. Not on plain
/// http, where browsers ignore it (RFC 6797 §7.2), and not for the host <c>localhost</c>, which a browser would then
/// force to HTTPS for every other development server on the machine (browsers never record IP literals, §8.1.1).
/// </summary>
public static class Hsts
{
    public const string MaxAgeKey = "Hsts:MaxAgeSeconds";
    public const long DefaultMaxAgeSeconds = 365L * 24 * 60 * 60;

    public static void UseGatehouseHsts(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var maxAge = app.Configuration.GetValue(MaxAgeKey, DefaultMaxAgeSeconds);
        if (maxAge < 0)
            throw new InvalidOperationException($"{MaxAgeKey} must be 0 (off) or more.");
        if (maxAge == 0)
            return;
        var value = "max-age=" + maxAge.ToString(CultureInfo.InvariantCulture);
        app.Use((context, next) =>
        {
            if (context.Request.IsHttps && !string.Equals(context.Request.Host.Host, "localhost", StringComparison.OrdinalIgnoreCase))
                context.Response.Headers.StrictTransportSecurity = value;
            return next(context);
        });
    }
}

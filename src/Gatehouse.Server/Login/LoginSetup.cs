using Gatehouse.Core.Admin;
using Gatehouse.Server.Sessions;

namespace Gatehouse.Server.Login;

/// <summary>
/// The hosted login page under /u (docs/browser-sign-in.md), the SSO session it starts, and logout. Apart from the
/// dashboard: its own anti-forgery cookie (<see cref="LoginAntiforgery"/>), no dashboard authentication.
/// </summary>
public static class LoginSetup
{
    public const string BasePath = "/u";
    public const string LoginPath = BasePath + "/login";

    public static IServiceCollection AddGatehouseLogin(this IServiceCollection services)
    {
        services.AddSingleton<ISsoSessions, SsoSessions>();
        services.AddSingleton<LoginAntiforgery>();
        services.AddSingleton<LoginPageContext>();
        services.AddSingleton<DatabaseLogin>();
        services.AddSingleton<DeviceActivationVisits>();
        services.AddSingleton<SessionAdmin>();
        services.AddSingleton<RefreshTokenAdmin>();
        services.AddSingleton<UserAccessRevocation>();
        services.AddSingleton<BrandingAdmin>();
        return services;
    }

    public static void MapGatehouseLogin(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // The session and anti-forgery cookies are Secure: over plain http the page could never work, so say so.
            // A TLS proxy in Network:KnownProxies counts as HTTPS.
            if (context.Request.Path.StartsWithSegments(BasePath) && !context.Request.IsHttps)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("The login page is served over HTTPS only.", context.RequestAborted);
                return;
            }
            await next(context);
        });
        app.MapLoginPage();
        app.MapDeviceActivation();
        app.MapLogout();
    }
}

using System.Reflection;
using System.Security.Claims;
using Gatehouse.Core.Administrators;
using Gatehouse.Server.Dashboard.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard;

/// <summary>
/// The administrator dashboard at /dashboard: Razor Pages (Dashboard/Pages), a cookie session apart from every
/// tenant token (HttpOnly, SameSite=Strict, always Secure, 30 minutes sliding, 12 hours at most), anti-forgery
/// on every form (Razor Pages' default), and strict security headers. Every dashboard cookie is Secure whatever the
/// request's scheme, so a session never travels in clear: the dashboard needs HTTPS (or a TLS proxy in front).
/// </summary>
public static class DashboardSetup
{
    public const string Scheme = "GatehouseDashboard";
    public const string Policy = "DashboardAdministrator";
    public const string BasePath = "/dashboard";
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(12);

    public static IServiceCollection AddGatehouseDashboard(this IServiceCollection services)
    {
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<AdministratorAccounts>();
        services.AddSingleton<FirstAdministrator>();
        services.AddSingleton<Services.ConnectionEditor>();
        services.AddSingleton<Services.TryClient>();
        services.AddSingleton<Services.TryStartCookie>();
        services.AddSingleton<Services.TryInBrowser>();

        services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "gatehouse_dashboard";
            options.Cookie.Path = BasePath;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.ExpireTimeSpan = IdleTimeout;
            options.SlidingExpiration = true;
            options.LoginPath = BasePath + "/signin";
            options.LogoutPath = BasePath + "/signout";
            options.AccessDeniedPath = BasePath + "/signin";
            options.Events.OnValidatePrincipal = ValidateAsync;
            options.Events.OnRedirectToLogin = RedirectToSignInAsync;
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "gatehouse_dashboard_af";
            options.Cookie.Path = BasePath;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        });
        services.Configure<CookieTempDataProviderOptions>(options =>
        {
            options.Cookie.Name = "gatehouse_dashboard_notice";
            options.Cookie.Path = BasePath;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        });
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Dashboard/Pages";
            options.Conventions.Add(new PrefixRoutes(BasePath.TrimStart('/')));
            options.Conventions.AuthorizeFolder("/", Policy);
            options.Conventions.AllowAnonymousToPage("/SignIn");
        }).AddApplicationPart(typeof(DashboardSetup).Assembly); // test hosts have another entry assembly
        return services;
    }

    /// <summary>Plain http is refused, then security headers and the embedded assets, then the pages.</summary>
    public static void MapGatehouseDashboard(this WebApplication app)
    {
        // Every request passes here: the others go straight on, without the state machine of an async lambda.
        app.Use((context, next) => context.Request.Path.StartsWithSegments(BasePath) ? DashboardRequestAsync(context, next) : next(context));
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet(BasePath + "/assets/{name}", (string name) => Asset(name)).AllowAnonymous().ExcludeFromDescription();
        app.MapRazorPages();
    }

    private static async Task DashboardRequestAsync(HttpContext context, RequestDelegate next)
    {
        // Its cookies are Secure, so over plain http a browser would drop them (and anti-forgery refuses to
        // run): say so instead of failing obscurely. A TLS proxy in Network:KnownProxies counts as HTTPS.
        if (!context.Request.IsHttps)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("The dashboard is served over HTTPS only.", context.RequestAborted);
            return;
        }
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        await next(context);
    }

    private static IResult Asset(string name)
    {
        var type = Path.GetExtension(name) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => null,
        };
        var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream("Gatehouse.Server.Dashboard.Assets." + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }

    /// <summary>Every request: the administrator still exists, and the session is younger than the absolute limit.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var issued = context.Properties.IssuedUtc;
        var store = context.HttpContext.RequestServices.GetRequiredService<IAdministratorStore>();
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var tooOld = context.Properties.Items.TryGetValue("signed_in", out var signedIn) && long.TryParse(signedIn, out var ticks)
            && new DateTimeOffset(ticks, TimeSpan.Zero) + AbsoluteTimeout < now;
        if (id is null || issued is null || tooOld || await store.GetAsync(id, context.HttpContext.RequestAborted) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    /// <summary>
    /// The sign-in page, except for the return of "Try in the browser" from another site: that request lacks the
    /// SameSite=Strict session cookie even for a signed-in administrator, so it is sent once more from the dashboard's
    /// own origin (Sec-Fetch-Site: same-origin), which carries it; a second miss goes to the sign-in page.
    /// </summary>
    private static Task RedirectToSignInAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && request.Path.Equals(Services.TryStartCookie.Path, StringComparison.OrdinalIgnoreCase)
            && request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
            return HandOverPage.WriteAsync(context.HttpContext, Services.TryStartCookie.Path + request.QueryString, "Returning to the dashboard…");
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Puts every page under /dashboard.</summary>
    private sealed class PrefixRoutes(string prefix) : IPageRouteModelConvention
    {
        public void Apply(PageRouteModel model)
        {
            foreach (var selector in model.Selectors)
            {
                if (selector.AttributeRouteModel is { } route)
                    route.Template = AttributeRouteModel.CombineTemplates(prefix, route.Template);
            }
        }
    }
}

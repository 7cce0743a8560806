using Gatehouse.Core.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;

namespace Gatehouse.Server.Login;

/// <summary>
/// ASP.NET Core antiforgery for the hosted login page, apart from the dashboard's: its own cookie
/// (<see cref="CookieName"/>, Path=/u, SameSite=Strict, Secure, HttpOnly) and a token bound to the login transaction
/// (the <c>state</c> of the page's URL is the token's additional data), so a token from one transaction, or from
/// another browser, never submits another. Keys are the app's Data Protection keys, so any node can check a token.
/// </summary>
internal sealed class LoginAntiforgery : IDisposable
{
    public const string CookieName = "gatehouse_login_af";
    public const string FieldName = "_csrf";

    private readonly ServiceProvider _services;

    public LoginAntiforgery(IDataProtectionProvider dataProtection, ILoggerFactory loggers)
    {
        var services = new ServiceCollection();
        services.AddSingleton(dataProtection);
        services.AddSingleton(loggers);
        services.AddSingleton<IAntiforgeryAdditionalDataProvider, TransactionBinding>();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.Path = LoginSetup.BasePath;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.HttpOnly = true;
            options.FormFieldName = FieldName;
            options.HeaderName = null;
            options.SuppressXFrameOptionsHeader = true; // the page sends DENY itself
        });
        _services = services.BuildServiceProvider();
        Antiforgery = _services.GetRequiredService<IAntiforgery>();
    }

    public IAntiforgery Antiforgery { get; }

    public void Dispose() => _services.Dispose();

    /// <summary>The token carries the transaction id it was issued for; a POST for another transaction fails.</summary>
    private sealed class TransactionBinding : IAntiforgeryAdditionalDataProvider
    {
        public string GetAdditionalData(HttpContext context) => context.Request.Query["state"].ToString();

        public bool ValidateAdditionalData(HttpContext context, string additionalData) =>
            additionalData.Length > 0 && Secrets.FixedTimeEquals(additionalData, context.Request.Query["state"].ToString());
    }
}

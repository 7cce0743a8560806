using System.Globalization;
using System.Security.Claims;
using Gatehouse.Core.Security;
using Gatehouse.Server.Dashboard.Auth;
using Gatehouse.Server.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.Server.Dashboard.Pages;

public sealed class SignInModel(AdministratorAccounts accounts, RateLimiter limiter, TimeProvider time) : PageModel
{
    public string? Email { get; private set; }

    public string? Error { get; private set; }

    public string? ReturnUrl { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl)
    {
        Email = email;
        ReturnUrl = returnUrl;
        // Before anything is hashed: a flood from one address costs a bucket lookup per request, not a PBKDF2.
        var ip = HttpContext.Connection.RemoteIpAddress;
        var decision = await limiter.TakeAsync(RateLimitOptions.DashboardSignIn, RateLimitKeys.Ip(HttpContext), ip?.ToString(), null, HttpContext.RequestAborted);
        if (decision is { Allowed: false })
        {
            decision.WriteHeaders(Response);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Error = $"Too many sign-in attempts from your address. Try again in {decision.RetryAfterSeconds} seconds.";
            return Page();
        }
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            Error = "Enter your email and password.";
            return Page();
        }
        var (result, administrator) = await accounts.SignInAsync(email, password, ip is null ? null : ClientAddresses.Key(ip), HttpContext.RequestAborted);
        switch (result)
        {
            case AdministratorSignIn.LockedOut:
                Error = $"Too many failed sign-ins for this email. Try again in {SignInThrottle.Lockout.TotalMinutes:0} minutes.";
                return Page();
            case AdministratorSignIn.Invalid:
                Error = "Wrong email or password.";
                return Page();
        }
        var identity = new ClaimsIdentity([
            new Claim(ClaimTypes.NameIdentifier, administrator!.Id),
            new Claim(ClaimTypes.Name, administrator.Email),
        ], DashboardSetup.Scheme);
        var properties = new AuthenticationProperties { IsPersistent = false };
        properties.Items["signed_in"] = time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture);
        await HttpContext.SignInAsync(DashboardSetup.Scheme, new ClaimsPrincipal(identity), properties);
        return LocalRedirect(returnUrl is { } url && Url.IsLocalUrl(url) && url.StartsWith(DashboardSetup.BasePath, StringComparison.Ordinal) ? url : DashboardSetup.BasePath);
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(DashboardSetup.Scheme);
        return Redirect(DashboardSetup.BasePath + "/signin");
    }
}

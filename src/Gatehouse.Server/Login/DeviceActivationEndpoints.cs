using System.Text.Json;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Server.Authorization;
using Gatehouse.Server.RateLimiting;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Login;

/// <summary>
/// The device flow's verification URI (docs/device-flow.md). <c>GET /activate[?user_code=]</c> opens a visit (a random
/// id, bound to nothing else, that counts the codes tried) and sends the browser to <c>/u/device?state={visit}</c>,
/// under the login page's path so its anti-forgery cookie applies. There the person types the code, sees which
/// application asks, and confirms (a login transaction for the device, then the hosted login page or the pre-set
/// connection's own page) or cancels (the device hears <c>access_denied</c>). Guessing is held back three ways: codes
/// tried per visit (<see cref="DeviceOptions.MaxAttemptsPerActivation"/>), POSTs per IP (the <c>DeviceActivation</c>
/// rate limit), and the codes' 15-minute life.
/// </summary>
internal static class DeviceActivationEndpoints
{
    public const string PagePath = LoginSetup.BasePath + "/device";

    public static void MapDeviceActivation(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/" + DeviceAuthorizations.ActivatePath, async (HttpContext http, string? user_code, DeviceActivationVisits visits) =>
            Results.Redirect(PagePath + "?state=" + Uri.EscapeDataString(await visits.OpenAsync(user_code is { Length: <= 32 } ? user_code : null, http.RequestAborted))))
            .RateLimitedPerIp(RateLimitOptions.Authentication).ExcludeFromDescription();
        routes.MapGet(PagePath, ShowAsync).ExcludeFromDescription();
        // Anti-forgery is checked in SubmitAsync with the login page's token, bound to the visit's id.
        routes.MapPost(PagePath, SubmitAsync).DisableAntiforgery().RateLimitedPerIp(RateLimitOptions.DeviceActivation).ExcludeFromDescription();
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string? state, DeviceActivationVisits visits, DeviceAuthorizations devices,
        LoginAntiforgery antiforgery, ConfigCache config)
    {
        if (await visits.FindAsync(state, http.RequestAborted) is not { } visit)
            return await StartAgainAsync(config, http.RequestAborted);
        var csrf = antiforgery.Antiforgery.GetAndStoreTokens(http).RequestToken ?? "";
        var tenant = await TenantNameAsync(config, http.RequestAborted);
        if (visit.MatchedHash is { } hash && await PendingAsync(devices, hash, http.RequestAborted) is { } matched)
            return Page(StatusCodes.Status200OK, DeviceActivationHtml.Confirm(tenant, visit.Id, csrf, await AppNameAsync(config, matched, http.RequestAborted), matched.UserCode));
        return Page(StatusCodes.Status200OK, DeviceActivationHtml.CodeForm(tenant, visit.Id, csrf, visit.Prefilled, null));
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, string? state, DeviceActivationVisits visits, DeviceAuthorizations devices,
        LoginAntiforgery antiforgery, ConfigCache config, ConnectionCache connections, ILoginTransactionStore transactions,
        AuditLog audit, TenantIssuer issuer, AuthorizationOptions authorization, TimeProvider time)
    {
        var ct = http.RequestAborted;
        if (await visits.FindAsync(state, ct) is not { } visit)
            return await StartAgainAsync(config, ct);
        if (!http.Request.HasFormContentType || !await antiforgery.Antiforgery.IsRequestValidAsync(http))
            return AuthorizationResponses.ErrorPage("Invalid request",
                "This form has expired or did not come from this page. Open the activation page again.", StatusCodes.Status403Forbidden);
        var form = await http.Request.ReadFormAsync(ct);
        var tenant = await TenantNameAsync(config, ct);
        var csrf = antiforgery.Antiforgery.GetAndStoreTokens(http).RequestToken ?? "";

        switch (form["action"].ToString())
        {
            case "code":
                var typed = form["user_code"].ToString();
                if (!await visits.TryCountAttemptAsync(visit.Id, devices.Options.MaxAttemptsPerActivation, ct))
                {
                    await visits.CloseAsync(visit.Id, ct);
                    await AuditAsync(audit, http, LogTypes.FailedDeviceActivation, "Too many codes tried on one activation page.", null, "too_many_attempts", ct);
                    return Page(StatusCodes.Status429TooManyRequests, DeviceActivationHtml.Message("Too many attempts", tenant,
                        "Too many codes were tried. Check the code on your device and open the activation page again.", alert: true));
                }
                if (await devices.FindForActivationAsync(typed, ct) is not { } found)
                {
                    await AuditAsync(audit, http, LogTypes.FailedDeviceActivation, "Invalid or expired user code.", null, "invalid_user_code", ct);
                    return Page(StatusCodes.Status400BadRequest, DeviceActivationHtml.CodeForm(tenant, visit.Id, csrf, typed.Length <= 32 ? typed : null,
                        "That code is not valid or has expired. Check the code on your device."));
                }
                await visits.MatchAsync(visit.Id, found.DeviceCodeHash, ct);
                return Page(StatusCodes.Status200OK, DeviceActivationHtml.Confirm(tenant, visit.Id, csrf, await AppNameAsync(config, found, ct), found.UserCode));

            case "confirm" or "cancel" when visit.MatchedHash is { } hash && await PendingAsync(devices, hash, ct) is { } matched:
                // One decision per visit: a second submit (or a replayed form) finds no visit.
                if (!await visits.CloseAsync(visit.Id, ct))
                    return await StartAgainAsync(config, ct);
                if (form["action"] == "cancel")
                {
                    await devices.DenyAsync(hash, "cancelled on the activation page", ct);
                    await AuditAsync(audit, http, LogTypes.DeviceConfirmationCancelled, "User cancelled the confirmation prompt.", matched.ClientId, null, ct);
                    return Page(StatusCodes.Status200OK, DeviceActivationHtml.Message("Device not connected", tenant,
                        "You cancelled. The device was not signed in. You can close this window.", alert: false));
                }
                return await SignInAsync(matched, hash, config, connections, transactions, issuer, authorization, time, ct);

            default:
                return await StartAgainAsync(config, ct);
        }
    }

    /// <summary>
    /// A login transaction for the device: the hosted login page (or the pre-set connection's own page) signs the person
    /// in, and <see cref="ISignInCompletion"/> approves the device instead of redirecting to an app.
    /// </summary>
    private static async Task<IResult> SignInAsync(DeviceAuthorization device, string hash, ConfigCache config, ConnectionCache connections,
        ILoginTransactionStore transactions, TenantIssuer issuer, AuthorizationOptions authorization, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // The redirect URI is never used for a device transaction (completion shows a page); it names the activation page.
        var request = new AuthorizationRequest(device.ClientId, issuer.Issuer + DeviceAuthorizations.ActivatePath, "query", null, null,
            device.Scope, device.Audience, device.Connection, device.LoginHint, "login", null, null, null)
        {
            // An mfa_token's device flow: the federated callback refuses any account but the one the password grant tried.
            MfaContinuation = device.MfaContinuation,
        };
        var expires = device.ExpiresAt < now.AddSeconds(authorization.TransactionLifetimeSeconds) ? device.ExpiresAt : now.AddSeconds(authorization.TransactionLifetimeSeconds);
        var transaction = new LoginTransaction(Secrets.RandomToken(32), request, now, expires) { DeviceCodeHash = hash };
        await transactions.SaveAsync(transaction, ct);
        if (device.Connection is { } name && await config.GetConnectionByNameAsync(name, ct) is { } definition
            && definition.EnabledClients.Contains(device.ClientId) && connections.Get(definition) is IRedirectConnection redirect)
        {
            // A page that refreshes to the federated start, not a 302 to the provider: this form's CSP form-action is
            // 'self', and browsers apply form-action to a form's redirects (as the login page's home realm discovery).
            var label = new LoginConnection<IRedirectConnection>(definition, redirect).Label;
            return new LoginHtmlResult(StatusCodes.Status200OK, LoginRedirectHtml.Render(LoginPageContext.FederatedHref(transaction.Id, name), label),
                FormAction: null, ImageSource: null);
        }
        return Results.Redirect(AuthorizeEndpoints.LoginPagePath + "?state=" + Uri.EscapeDataString(transaction.Id));
    }

    private static async Task<DeviceAuthorization?> PendingAsync(DeviceAuthorizations devices, string hash, CancellationToken ct) =>
        await devices.FindAsync(hash, ct) is { } found && (await devices.FindForActivationAsync(found.UserCode, ct))?.DeviceCodeHash == hash ? found : null;

    private static async Task<string> AppNameAsync(ConfigCache config, DeviceAuthorization device, CancellationToken ct) =>
        (await config.GetClientAsync(device.ClientId, ct))?.Name ?? "An application";

    private static async Task<string> TenantNameAsync(ConfigCache config, CancellationToken ct) =>
        LoginBranding.From(await config.GetTenantSettingsAsync(ct)).Name ?? "";

    private static async Task<IResult> StartAgainAsync(ConfigCache config, CancellationToken ct) =>
        Page(StatusCodes.Status400BadRequest, DeviceActivationHtml.Message("Activation expired", await TenantNameAsync(config, ct),
            "This page has expired. Open the activation address shown on your device again.", alert: true));

    /// <summary>No form is posted anywhere but here; the pages carry no image but Gatehouse's styles.</summary>
    private static LoginHtmlResult Page(int status, string html) => new(status, html, "'self'", null);

    private static async Task AuditAsync(AuditLog audit, HttpContext http, string type, string description, string? clientId, string? errorType, CancellationToken ct)
    {
        var details = new Dictionary<string, object>();
        if (errorType is not null)
            details["error"] = new Dictionary<string, string> { ["type"] = errorType, ["message"] = description };
        var ip = BrowserCaller.Ip(http);
        await audit.WriteAsync(new AuditEntry(type, description)
        {
            ClientId = clientId,
            Ip = ip,
            ClientIp = ip,
            UserAgent = BrowserCaller.UserAgent(http),
            Details = JsonSerializer.SerializeToElement(details),
        }, ct);
    }
}

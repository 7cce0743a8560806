using System.Reflection;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Authorization;
using Gatehouse.Server.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;

namespace Gatehouse.Server.Login;

/// <summary>
/// GET|POST /u/login?state={transaction}: Gatehouse's Universal Login. GET shows the page; POST takes the email (home
/// realm discovery sends it to its connection) and the password (the database sign-in), each POST with the
/// anti-forgery token of its transaction. Success goes to <see cref="ISignInCompletion"/> (a fresh login).
/// </summary>
internal static class LoginPageEndpoints
{
    public static void MapLoginPage(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(LoginSetup.LoginPath, ShowAsync).ExcludeFromDescription();
        // Anti-forgery is checked in SubmitAsync with the login page's own token, bound to the transaction.
        routes.MapPost(LoginSetup.LoginPath, SubmitAsync).DisableAntiforgery().RateLimitedPerIp(RateLimitOptions.Authentication).ExcludeFromDescription();
        routes.MapGet(LoginSetup.BasePath + "/login.css", () => Asset("login.css")).ExcludeFromDescription();
        routes.MapGet(LoginSetup.BasePath + "/branding.css", BrandingCssAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string? state, LoginPageContext page)
    {
        if (await page.TransactionAsync(state, http.RequestAborted) is not { } transaction)
            return Expired();
        var choices = await page.ChoicesAsync(transaction, http.RequestAborted);
        return await page.RenderAsync(http, transaction, choices, FirstStep(choices), transaction.Request.LoginHint, null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, string? state, LoginPageContext page, DatabaseLogin database, ISignInCompletion completion)
    {
        var ct = http.RequestAborted;
        if (await page.TransactionAsync(state, ct) is not { } transaction)
            return Expired();
        if (!http.Request.HasFormContentType || !await page.Antiforgery.IsRequestValidAsync(http))
            return AuthorizationResponses.ErrorPage("Invalid request",
                "This form has expired or did not come from this sign-in page. Go back to the application and sign in again.", StatusCodes.Status403Forbidden);

        var form = await http.Request.ReadFormAsync(ct);
        var email = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var choices = await page.ChoicesAsync(transaction, ct);
        if (email.Length is 0 or > 320)
            return await page.RenderAsync(http, transaction, choices, FirstStep(choices), null, "Enter your email address.", StatusCodes.Status400BadRequest);

        if (choices.HomeRealm(email) is { } realm)
            return HomeRealmRedirect(transaction, realm, email);
        if (choices.Database is not { } connection)
            return await page.RenderAsync(http, transaction, choices, FirstStep(choices), email,
                "This email address cannot sign in here. Use one of the options below.", StatusCodes.Status400BadRequest);
        if (!form.ContainsKey("password"))
            return await page.RenderAsync(http, transaction, choices, LoginStep.Password, email, null, StatusCodes.Status200OK);
        if (password.Length is 0 or > 1024)
            return await page.RenderAsync(http, transaction, choices, ThenPassword(choices), email, "Enter your password.", StatusCodes.Status400BadRequest);

        var (user, problem) = await database.SignInAsync(http, transaction, connection, email, password, ct);
        if (user is null)
            return await page.RenderAsync(http, transaction, choices, ThenPassword(choices), email, problem, StatusCodes.Status400BadRequest);
        return await completion.CompleteAsync(http, transaction, user, connection.Definition.Name, ct);
    }

    private static LoginStep? FirstStep(LoginChoices choices) =>
        choices.IdentifierFirst ? LoginStep.Email : choices.Database is null ? null : LoginStep.EmailAndPassword;

    private static LoginStep ThenPassword(LoginChoices choices) => choices.IdentifierFirst ? LoginStep.Password : LoginStep.EmailAndPassword;

    /// <summary>
    /// To the connection's own sign-in page through the federated start. A page that refreshes at once (not a 302):
    /// the provider's address is not in this page's CSP form-action, and browsers apply form-action to a form's redirects.
    /// The typed email goes along as the provider's login_hint, so the user does not type it twice.
    /// </summary>
    private static LoginHtmlResult HomeRealmRedirect(LoginTransaction transaction, LoginConnection<IRedirectConnection> realm, string email)
    {
        var href = LoginPageContext.FederatedHref(transaction.Id, realm.Definition.Name, email);
        return new LoginHtmlResult(StatusCodes.Status200OK, LoginRedirectHtml.Render(href, realm.Label), FormAction: null, ImageSource: null);
    }

    private static async Task<IResult> BrandingCssAsync(ConfigCache config, HttpContext http)
    {
        var (background, ink) = LoginBranding.From(await config.GetTenantSettingsAsync(http.RequestAborted)).Button();
        http.Response.Headers.CacheControl = "no-cache";
        // Both values are checked hex colours (LoginBranding): nothing else can reach this stylesheet.
        return Results.Text($":root {{ --brand: {background}; --brand-ink: {ink}; }}\n", "text/css; charset=utf-8");
    }

    private static IResult Asset(string name)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Gatehouse.Server.Login.Assets." + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, "text/css; charset=utf-8");
    }

    private static IResult Expired() => AuthorizationResponses.ErrorPage("Login session expired",
        "This sign-in page has expired or is not valid. Go back to the application and sign in again.");
}

/// <summary>What every login page request needs: the transaction, the client's connections, the anti-forgery token, the page.</summary>
internal sealed class LoginPageContext(
    ILoginTransactionStore transactions, IConnectionStore connectionStore, ConnectionCache connections, ConfigCache config, LoginAntiforgery antiforgery)
{
    public IAntiforgery Antiforgery => antiforgery.Antiforgery;

    public static string FederatedHref(string transactionId, string connection, string? loginHint = null) =>
        $"/login/federated?state={Uri.EscapeDataString(transactionId)}&connection={Uri.EscapeDataString(connection)}"
        + (loginHint is null ? "" : $"&login_hint={Uri.EscapeDataString(loginHint)}");

    public async Task<LoginTransaction?> TransactionAsync(string? state, CancellationToken ct) =>
        state is { Length: > 0 and <= 128 } ? await transactions.FindAsync(state, ct) : null;

    public Task<LoginChoices> ChoicesAsync(LoginTransaction transaction, CancellationToken ct) =>
        LoginChoices.ForAsync(transaction.Request, connectionStore, connections, ct);

    public async Task<IResult> RenderAsync(HttpContext http, LoginTransaction transaction, LoginChoices choices, LoginStep? step, string? email, string? problem, int status)
    {
        var ct = http.RequestAborted;
        var branding = LoginBranding.From(await config.GetTenantSettingsAsync(ct));
        var client = await config.GetClientAsync(transaction.Request.ClientId, ct);
        var tokens = antiforgery.Antiforgery.GetAndStoreTokens(http);
        var buttons = choices.Redirects.Select(r => (r.Label, FederatedHref(transaction.Id, r.Definition.Name))).ToList();
        var html = LoginPageHtml.Render(new LoginPageView(branding, client?.Name ?? "the application", transaction.Id, tokens.RequestToken,
            step, email, problem, buttons));
        return new LoginHtmlResult(status, html, FormActionFor(transaction.Request.RedirectUri), branding.Logo);
    }

    /// <summary>
    /// The form posts here, and a successful sign-in answers with a redirect to the app's redirect URI, which browsers
    /// check against form-action too: so 'self' and exactly that origin (or custom scheme).
    /// </summary>
    private static string FormActionFor(string redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri)
            ? "'self' " + (uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : uri.Scheme + ":")
            : "'self'";
}

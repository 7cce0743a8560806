using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Services;
using Gatehouse.Server.Shared;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages;

/// <summary>
/// Try a connection: a password-realm token request through the real <see cref="TokenPipeline"/> (the same checks, the same
/// audit event), then the profile, groups and tokens; on failure the caller's error beside the upstream detail from the audit log.
/// </summary>
public sealed class TryModel(IGatehouseStore store, TokenPipeline pipeline, ClientAdmin clients, ConnectionCache cache, TryInBrowser browser) : DashboardPageModel
{
    public sealed record Outcome(
        bool Success,
        long ElapsedMs,
        OAuthError? Error,
        string? UpstreamDetail,
        string? Advice,
        string? LogId,
        string? Profile,
        IReadOnlyList<string>? Groups,
        string? NoGroupsReason,
        (string Header, string Payload)? IdToken,
        (string Header, string Payload)? AccessToken);

    public IReadOnlyList<Connection> Connections { get; private set; } = [];
    public IReadOnlyList<Client> Applications { get; private set; } = [];

    /// <summary>Connections that can sign in through the browser: their own sign-in page, or the hosted login page's password form.</summary>
    public IReadOnlyList<Connection> BrowserConnections { get; private set; } = [];
    public string? BrowserConnectionName { get; private set; }
    public string? ConnectionName { get; private set; }
    public string? ApplicationId { get; private set; }
    public string Username { get; private set; } = "";

    /// <summary>"password-realm" (POST /oauth/token) or "ro" (the legacy POST /oauth/ro).</summary>
    public string Grant { get; private set; } = "password-realm";
    public Outcome? Result { get; private set; }

    public async Task OnGetAsync(string? connection, string? application)
    {
        await LoadAsync();
        ConnectionName = connection ?? Connections.FirstOrDefault(c => cache.FindStrategy(c.Strategy)?.Descriptor.Federated == true)?.Name;
        BrowserConnectionName = BrowserConnections.FirstOrDefault(c => c.Name == connection)?.Name
            ?? BrowserConnections.FirstOrDefault(c => cache.Get(c) is IRedirectConnection)?.Name;
        ApplicationId = application ?? Applications.FirstOrDefault(a => ConnectionName is not null
            && Connections.Any(c => c.Name == ConnectionName && c.EnabledClients.Contains(a.ClientId)))?.ClientId;
    }

    public async Task<IActionResult> OnPostAsync(string? connection, string? application, string? username, string? password, string? grant)
    {
        await LoadAsync();
        (ConnectionName, ApplicationId, Username, Grant) = (connection, application, username?.Trim() ?? "", grant ?? "");
        var legacy = Grant == "ro";
        if (Grant is not ("password-realm" or "ro"))
            Errors["grant"] = "Choose how to sign in.";
        var chosen = Connections.FirstOrDefault(c => c.Name == connection);
        var app = Applications.FirstOrDefault(a => a.ClientId == application);
        if (chosen is null)
            Errors["connection"] = "Choose a connection.";
        if (app is null)
            Errors["application"] = "Choose an application.";
        if (Username.Length == 0)
            Errors["username"] = "Enter a username.";
        if (string.IsNullOrEmpty(password))
            Errors["password"] = "Enter a password.";
        if (Errors.Count > 0)
            return Page();

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = legacy ? GrantTypes.LegacyRo : GrantTypes.PasswordRealm,
            ["client_id"] = app!.ClientId,
            [legacy ? "connection" : "realm"] = chosen!.Name,
            ["username"] = Username,
            ["password"] = password!,
            ["scope"] = "openid profile email",
        };
        if (clients.RevealSecret(app) is { } secret)
            parameters["client_secret"] = secret;
        var request = new TokenRequest(parameters)
        {
            Ip = HttpContext.Connection.RemoteIpAddress?.ToString(),
            UserAgent = "Gatehouse dashboard Try",
            CorrelationId = Guid.NewGuid().ToString(),
        };
        var started = Stopwatch.GetTimestamp();
        var outcome = legacy ? await pipeline.ExecuteLegacyAsync(request, HttpContext.RequestAborted) : await pipeline.ExecuteAsync(request, HttpContext.RequestAborted);
        var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var log = outcome.LogId is { } logId ? await store.GetLogAsync(logId, HttpContext.RequestAborted) : null;
        Result = outcome.Response is { } tokens
            ? await SuccessAsync(tokens, chosen, elapsed, log)
            : Failure(outcome.Error!, elapsed, log);
        return Page();
    }

    /// <summary>
    /// "Try in the browser": enables the dashboard's Try application on the connection if needed, keeps state, nonce and
    /// PKCE verifier in this browser, and leaves for /authorize (by a hand-over page: see <see cref="HandOverPage"/>).
    /// </summary>
    public async Task<IActionResult> OnPostBrowserAsync([FromForm(Name = "browser_connection")] string? browserConnection)
    {
        await LoadAsync();
        BrowserConnectionName = browserConnection;
        if (BrowserConnections.FirstOrDefault(c => c.Name == browserConnection) is not { } chosen)
        {
            Errors["browser_connection"] = "Choose a connection that signs in through the browser.";
            return Page();
        }
        var (authorizeUrl, _) = await browser.BeginAsync(HttpContext, Actor, chosen, HttpContext.RequestAborted);
        return Content(HandOverPage.Render(authorizeUrl, $"Signing in through {chosen.Name}…"), "text/html; charset=utf-8");
    }

    private async Task<Outcome> SuccessAsync(TokenResponse tokens, Connection connection, long elapsed, LogEvent? log)
    {
        var access = JwtDisplay.Decode(tokens.AccessToken);
        var user = log?.UserId is { } userId ? await store.GetUserAsync(userId, HttpContext.RequestAborted) : null;
        var profile = user is null ? null : UserJson.Of(user);
        var groups = profile?["groups"] is JsonArray array ? array.Select(g => g?.ToString() ?? "").ToList() : null;
        return new Outcome(true, elapsed, null, null, null, log?.LogId,
            profile?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
            groups, groups is { Count: > 0 } ? null : WhyNoGroups(connection, cache.FindStrategy(connection.Strategy)?.Descriptor, profile),
            JwtDisplay.Decode(tokens.IdToken), access);
    }

    private static Outcome Failure(OAuthError error, long elapsed, LogEvent? log)
    {
        var detail = log?.Details is { } details && details.TryGetProperty("error", out var e) && e.TryGetProperty("detail", out var d) ? d.GetString() : null;
        return new Outcome(false, elapsed, error, detail, AadstsAdvice.For(detail) ?? GatehouseAdvice(error), log?.LogId, null, null, null, null, null);
    }

    /// <summary>Refusals decided by Gatehouse itself, before any upstream call.</summary>
    private static string? GatehouseAdvice(OAuthError error) => error switch
    {
        { Error: "unauthorized_client" } => "The application may not use this grant (Password Realm, or Legacy /oauth/ro): turn it on in Applications > the application > Grant types (and the application must be first party).",
        { Description: "the connection was disabled" } => "The connection is not enabled for this application: tick it under the application's Connections.",
        { Error: "temporarily_unavailable" } => "Azure AD did not answer (or the circuit is open after repeated failures). Run the connection's Preflight.",
        _ => null,
    };

    /// <summary>In the strategy's own words (<see cref="StrategyDescriptor"/>): no groups at all, groups off, or none for this user.</summary>
    private static string WhyNoGroups(Connection connection, StrategyDescriptor? strategy, JsonObject? profile)
    {
        if (strategy?.GroupsOption is not { } option)
            return $"{strategy?.DisplayName ?? connection.Strategy} connections have no groups.";
        if (profile?["groups_unavailable_reason"]?.ToString() is { } reason)
            return reason;
        var on = connection.Options.TryGetProperty(option, out var g) && g.ValueKind == JsonValueKind.True;
        return on ? $"{strategy.DisplayName} returned no group memberships for this user." : $"Groups are off for this connection ({option} is false).";
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        Connections = (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Items;
        Applications = (await store.ListClientsAsync(PageRequest.All, ct)).Items.Where(c => !c.IsGlobal && !TryClient.IsTryClient(c)).ToList();
        BrowserConnections = Connections.Where(c => cache.Get(c) is IRedirectConnection or IPasswordOwningConnection).ToList();
    }
}

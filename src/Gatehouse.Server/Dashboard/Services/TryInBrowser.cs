using Gatehouse.Core.Admin;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Server.Dashboard.Services;

/// <summary>What the code exchange of a browser try gave: tokens whose id_token passed every check, or why not.</summary>
public sealed record TryExchange(TokenResponse? Tokens, OAuthError? Error, string? IdTokenProblem, string? LogId);

/// <summary>
/// "Try in the browser": the dashboard plays a web application of its own (<see cref="TryClient"/>). Start: a fresh
/// state, nonce and PKCE verifier in <see cref="TryStartCookie"/>, and the /authorize URL for the connection with
/// prompt=login. Return: the code exchanged in-process through <see cref="TokenPipeline"/> (the checks and audit event of
/// /oauth/token), then the id_token checked as a client would: signature by a published key, issuer, audience, expiry, nonce.
/// </summary>
public sealed class TryInBrowser(
    TryClient tryClient, TryStartCookie cookie, ConnectionAdmin connections, ClientAdmin clients, TokenPipeline pipeline,
    SigningKeyService keys, TenantIssuer issuer, TimeProvider time)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>
    /// Enables the try client on <paramref name="connection"/> when it is not yet (audited as <paramref name="administrator"/>),
    /// keeps the start in the browser, and answers the /authorize URL and whether the client was enabled now.
    /// </summary>
    public async Task<(string AuthorizeUrl, bool EnabledNow)> BeginAsync(HttpContext http, AdminActor administrator, Connection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(administrator);
        ArgumentNullException.ThrowIfNull(connection);
        var client = await tryClient.EnsureAsync(ct);
        var enabledNow = !connection.EnabledClients.Contains(client.ClientId);
        if (enabledNow)
            await connections.SetEnabledClientsAsync(administrator, connection, [(client.ClientId, true)], ct);
        var start = new TryStart(Secrets.RandomToken(32), Secrets.RandomToken(32), Secrets.RandomToken(32), connection.Name, administrator.Id, enabledNow);
        cookie.Set(http, start);
        var parameters = new (string Name, string Value)[]
        {
            ("response_type", "code"), ("client_id", client.ClientId), ("redirect_uri", tryClient.Callback),
            ("scope", "openid profile email"), ("state", start.State), ("nonce", start.Nonce),
            ("code_challenge", Pkce.Challenge(start.Verifier)), ("code_challenge_method", Pkce.S256),
            ("connection", connection.Name), ("prompt", "login"),
        };
        return (issuer.Issuer + "authorize?" + string.Join('&', parameters.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value))), enabledNow);
    }

    /// <summary>Redeems <paramref name="code"/> for the try client with the start's verifier, then checks the id_token.</summary>
    public async Task<TryExchange> ExchangeAsync(HttpContext http, TryStart start, string code, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(start);
        if (await tryClient.FindAsync(ct) is not { } client || clients.RevealSecret(client) is not { } secret)
            return new TryExchange(null, OAuthError.InvalidRequest("The dashboard's Try application no longer exists: start again."), null, null);
        var outcome = await pipeline.ExecuteAsync(new TokenRequest(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = GrantTypes.AuthorizationCode,
            ["client_id"] = client.ClientId,
            ["client_secret"] = secret,
            ["code"] = code,
            ["redirect_uri"] = tryClient.Callback,
            ["code_verifier"] = start.Verifier,
        })
        {
            Ip = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = "Gatehouse dashboard Try in the browser",
            CorrelationId = Guid.NewGuid().ToString(),
        }, ct);
        if (outcome.Response is not { } tokens)
            return new TryExchange(null, outcome.Error, null, outcome.LogId);
        return new TryExchange(tokens, null, await IdTokenProblemAsync(tokens.IdToken, client.ClientId, start.Nonce, ct), outcome.LogId);
    }

    /// <summary>Why the id_token is not one this client may accept (OIDC Core §3.1.3.7), or null.</summary>
    private async Task<string?> IdTokenProblemAsync(string? idToken, string clientId, string nonce, CancellationToken ct)
    {
        if (idToken is null)
            return "No id_token came back.";
        var ring = await keys.GetRingAsync(ct);
        var now = time.GetUtcNow();
        var result = await _handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            ValidAudience = clientId,
            ValidateLifetime = false, // checked below against TimeProvider
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            IssuerSigningKeys = ring.PublishedAt(now).Select(k => (SecurityKey)k.SecurityKey).ToList(),
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
            return "The id_token did not validate: " + (result.Exception?.GetType().Name ?? "unknown reason") + ".";
        if (!UnixTime.TryGetNumericDate(jwt, "exp", out var exp) || exp + ClockSkew <= now)
            return "The id_token has expired.";
        if (!jwt.TryGetPayloadValue<string>("nonce", out var sent) || !Secrets.FixedTimeEquals(sent, nonce))
            return "The id_token's nonce is not the one this sign-in sent.";
        return null;
    }
}

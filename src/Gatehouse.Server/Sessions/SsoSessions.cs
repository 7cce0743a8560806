using Gatehouse.Core.Security;
using Gatehouse.Core.Sessions;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Sessions;

/// <summary>
/// <see cref="ISsoSessions"/> on <see cref="ISsoSessionStore"/>. The cookie (<see cref="CookieName"/>) carries a random
/// 256-bit secret; the store keys the session by its SHA-256 (<see cref="Secrets.HashToken"/>), which is also the
/// public session id (the <c>sid</c>, the Management API's id): reading the store or a log never yields a usable cookie.
/// </summary>
public sealed class SsoSessions(ISsoSessionStore store, IUserStore users, ConfigCache config, TimeProvider time) : ISsoSessions
{
    /// <summary>Auth0's name for its session cookie.</summary>
    public const string CookieName = "auth0";

    /// <summary>A cookie value longer than this is not ours (ours is 43 characters): not even hashed.</summary>
    private const int MaxCookieLength = 128;

    public async Task<SsoSession?> CurrentAsync(HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await StoredAsync(http, ct) is not { } session)
            return null;
        var lifetimes = SessionLifetimes.From(await config.GetTenantSettingsAsync(ct));
        if (!lifetimes.IsLive(session, time.GetUtcNow()))
        {
            await store.DeleteAsync(session.Id, ct);
            return null;
        }

        // A deleted or blocked user has no session, whatever the cookie says; it ends for good (unblocking does not revive it).
        if (await users.GetUserAsync(session.UserId, ct) is { Blocked: false })
            return session;
        await store.DeleteAsync(session.Id, ct);
        return null;
    }

    public async Task<SsoSession> SignInAsync(HttpContext http, User user, string connectionName, string clientId, bool freshLogin, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var lifetimes = SessionLifetimes.From(await config.GetTenantSettingsAsync(ct));
        var current = await CurrentAsync(http, ct);
        if (!freshLogin && current is not null && current.UserId == user.UserId)
            return await ExtendAsync(current, connectionName, clientId, lifetimes, now, ct);

        // A fresh login never keeps the id the browser came with (session fixation): the old session ends, a new one starts.
        if (await StoredAsync(http, ct) is { } previous)
            await store.DeleteAsync(previous.Id, ct);
        var secret = Secrets.RandomToken(32);
        var session = await store.CreateAsync(new SsoSession(
            Secrets.HashToken(secret), user.UserId, [connectionName], [clientId], now, now,
            now + lifetimes.Absolute, now + Min(lifetimes.Idle, lifetimes.Absolute),
            BrowserCaller.Ip(http), BrowserCaller.UserAgent(http), now, 0), ct);
        WriteCookie(http, secret, session.ExpiresAt);
        return session;
    }

    public async Task<SsoSession?> SignOutAsync(HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var session = await StoredAsync(http, ct);
        if (session is not null)
            await store.DeleteAsync(session.Id, ct);
        if (http.Request.Cookies.ContainsKey(CookieName))
            http.Response.Cookies.Delete(CookieName, CookieOptions(null));
        return session;
    }

    /// <summary>The stored session the cookie names, live or not.</summary>
    private Task<SsoSession?> StoredAsync(HttpContext http, CancellationToken ct) =>
        http.Request.Cookies.TryGetValue(CookieName, out var secret) && secret is { Length: > 0 and <= MaxCookieLength }
            ? store.GetAsync(Secrets.HashToken(secret), ct)
            : Task.FromResult<SsoSession?>(null);

    /// <summary>Records the client and connection and moves the idle end; a concurrent change is re-read once.</summary>
    private async Task<SsoSession> ExtendAsync(SsoSession session, string connection, string clientId, SessionLifetimes lifetimes, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var touched = lifetimes.Touch(session, now) with
            {
                Connections = session.Connections.Contains(connection) ? session.Connections : [.. session.Connections, connection],
                Clients = session.Clients.Contains(clientId) ? session.Clients : [.. session.Clients, clientId],
            };
            try
            {
                return await store.UpdateAsync(touched, ct);
            }
            catch (StoreException e) when (e.Error == StoreError.Conflict && attempt == 0)
            {
                // Ended meanwhile (logout on another tab): NotFound on the retry says so.
                session = await store.GetAsync(session.Id, ct) ?? session;
            }
        }
    }

    /// <summary>
    /// HttpOnly and Secure always. SameSite=None as Auth0's <c>auth0</c> cookie: silent authentication
    /// (<c>prompt=none</c> in a hidden iframe of the app's site, auth0-spa-js) and form_post answers are cross-site
    /// requests, which a Lax cookie would not reach. Login CSRF is stopped by the login form's anti-forgery token instead.
    /// </summary>
    private static CookieOptions CookieOptions(DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.None,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    private static void WriteCookie(HttpContext http, string secret, DateTimeOffset expires) =>
        http.Response.Cookies.Append(CookieName, secret, CookieOptions(expires));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

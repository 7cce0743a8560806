using System.Collections.Concurrent;
using Gatehouse.Core.Security;
using Gatehouse.Core.Sessions;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Sessions;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>
/// Test-only SSO sessions without cookies: the <c>X-Test-Browser</c> header names the browser, so a test decides
/// which requests share a session. The product's cookie sessions are the login page's (ISsoSessions); this stands in
/// for them so the protocol can be tested on its own.
/// </summary>
internal sealed class TestSsoSessions(TimeProvider time) : ISsoSessions
{
    public const string BrowserHeader = "X-Test-Browser";

    private readonly ConcurrentDictionary<string, SsoSession> _sessions = new(StringComparer.Ordinal);

    public Task<SsoSession?> CurrentAsync(HttpContext http, CancellationToken ct) =>
        Task.FromResult(Browser(http) is { } browser && _sessions.TryGetValue(browser, out var session) ? session : null);

    public Task<SsoSession> SignInAsync(HttpContext http, User user, string connectionName, string clientId, bool freshLogin, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var browser = Browser(http) ?? Secrets.RandomToken(8);
        var session = !freshLogin && _sessions.TryGetValue(browser, out var current) && current.UserId == user.UserId
            ? current with { LastInteractionAt = now, Clients = [.. current.Clients, clientId], Version = current.Version + 1 }
            : new SsoSession(Secrets.RandomToken(16), user.UserId, [connectionName], [clientId], now, now, now.AddDays(7), now.AddDays(3), null, null, now, 0);
        _sessions[browser] = session;
        return Task.FromResult(session);
    }

    public Task<SsoSession?> SignOutAsync(HttpContext http, CancellationToken ct) =>
        Task.FromResult(Browser(http) is { } browser && _sessions.TryRemove(browser, out var session) ? session : null);

    private static string? Browser(HttpContext http) => http.Request.Headers[BrowserHeader].ToString() is { Length: > 0 } name ? name : null;
}

using Gatehouse.Core.Sessions;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Sessions;

/// <summary>
/// The browser's SSO session as the sign-in paths see it: the cookie (HttpOnly, Secure, SameSite) holds an opaque id,
/// the store holds the rest. <c>/authorize</c> asks for the current session (prompt=none, max_age); completing a
/// sign-in starts or extends one; logout ends it.
/// </summary>
public interface ISsoSessions
{
    /// <summary>The live session of this browser, or null (no cookie, unknown, expired, idle too long, or its user gone or blocked).</summary>
    Task<SsoSession?> CurrentAsync(HttpContext http, CancellationToken ct);

    /// <summary>
    /// A user authenticated (<paramref name="freshLogin"/>) or was signed in silently from the session: starts a new
    /// session with a new id on a fresh login (no session fixation), or extends the current one, and records the
    /// client and connection. Writes the cookie.
    /// </summary>
    Task<SsoSession> SignInAsync(HttpContext http, User user, string connectionName, string clientId, bool freshLogin, CancellationToken ct);

    /// <summary>Ends this browser's session (cookie and store); returns the session that ended, if any.</summary>
    Task<SsoSession?> SignOutAsync(HttpContext http, CancellationToken ct);
}

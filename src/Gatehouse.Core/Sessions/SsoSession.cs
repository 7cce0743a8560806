namespace Gatehouse.Core.Sessions;

/// <summary>
/// A browser's single sign-on session at Gatehouse (Auth0's session layer): the cookie holds only <see cref="Id"/>.
/// Absolute end from the tenant's <c>session_lifetime</c>, idle end from <c>idle_session_lifetime</c>.
/// </summary>
/// <param name="Connections">Connections the user authenticated with in this session (the federated ones are logged out upstream on <c>federated</c> logout).</param>
/// <param name="Clients">Clients that received a code in this session.</param>
public sealed record SsoSession(
    string Id,
    string UserId,
    IReadOnlyList<string> Connections,
    IReadOnlyList<string> Clients,
    DateTimeOffset AuthenticatedAt,
    DateTimeOffset LastInteractionAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset IdleExpiresAt,
    string? Ip,
    string? UserAgent,
    DateTimeOffset CreatedAt,
    long Version);

/// <summary>Stored sessions: durable so they outlive a restart and can be revoked per user from any node.</summary>
public interface ISsoSessionStore
{
    Task<SsoSession?> GetAsync(string id, CancellationToken ct);
    Task<SsoSession> CreateAsync(SsoSession session, CancellationToken ct);
    Task<SsoSession> UpdateAsync(SsoSession session, CancellationToken ct);
    Task<bool> DeleteAsync(string id, CancellationToken ct);
    Task<IReadOnlyList<SsoSession>> ListForUserAsync(string userId, CancellationToken ct);
    Task<int> DeleteForUserAsync(string userId, CancellationToken ct);
}

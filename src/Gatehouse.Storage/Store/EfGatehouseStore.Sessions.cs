using Gatehouse.Core.Sessions;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

/// <summary>SSO sessions: keyed by the session id (the hash of the cookie value), listed and revoked per user.</summary>
internal sealed partial class EfGatehouseStore<TContext> : ISsoSessionStore
{
    private const string SessionName = "Session";

    public Task<SsoSession?> GetAsync(string id, CancellationToken ct) =>
        QueryAsync(async db => (await db.SsoSessions.SingleOrDefaultAsync(s => s.SessionId == id, ct))?.ToRecord(), ct);

    public async Task<SsoSession> CreateAsync(SsoSession session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var created = session with { Version = 1 };
        await InsertAsync(SsoSessionEntity.From(created), SessionName, ct);
        return created;
    }

    public async Task<SsoSession> UpdateAsync(SsoSession session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        await UpdateAsync(s => s.SessionId == session.Id, SsoSessionEntity.From(session), SessionName, ct);
        return session with { Version = session.Version + 1 };
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct) =>
        await DeleteWhereAsync(s => s.SessionId == id, ct) > 0;

    public Task<IReadOnlyList<SsoSession>> ListForUserAsync(string userId, CancellationToken ct) =>
        QueryAsync<IReadOnlyList<SsoSession>>(async db =>
            [.. (await db.SsoSessions.Where(s => s.UserId == userId).OrderBy(s => s.Seq).ToListAsync(ct)).Select(s => s.ToRecord())], ct);

    public Task<int> DeleteForUserAsync(string userId, CancellationToken ct) => DeleteWhereAsync(s => s.UserId == userId, ct);

    private async Task<int> DeleteWhereAsync(System.Linq.Expressions.Expression<Func<SsoSessionEntity, bool>> which, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        using var entered = await writes.EnterAsync(ct);
        return await db.SsoSessions.Where(which).ExecuteDeleteAsync(ct);
    }
}

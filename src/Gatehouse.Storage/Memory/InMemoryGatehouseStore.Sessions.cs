using Gatehouse.Core.Sessions;
using Gatehouse.Storage.Entities;

namespace Gatehouse.Storage.Memory;

/// <summary>SSO sessions, with the EF store's rules.</summary>
public partial class InMemoryGatehouseStore : ISsoSessionStore
{
    private const string SessionName = "Session";
    private readonly MemoryTable<SsoSessionEntity> _sessions = new(s => s.SessionId);

    public virtual Task<SsoSession?> GetAsync(string id, CancellationToken ct) =>
        Locked(() => _sessions.Find(s => s.SessionId == id)?.ToRecord());

    public virtual Task<SsoSession> CreateAsync(SsoSession session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var created = session with { Version = 1 };
        return Locked(() => { _sessions.Insert(SsoSessionEntity.From(created), SessionName); return created; });
    }

    public virtual Task<SsoSession> UpdateAsync(SsoSession session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Locked(() =>
        {
            _sessions.Update(s => s.SessionId == session.Id, SsoSessionEntity.From(session), SessionName);
            return session with { Version = session.Version + 1 };
        });
    }

    public virtual Task<bool> DeleteAsync(string id, CancellationToken ct) =>
        Locked(() => _sessions.DeleteAll(s => s.SessionId == id) > 0);

    public virtual Task<IReadOnlyList<SsoSession>> ListForUserAsync(string userId, CancellationToken ct) =>
        Locked<IReadOnlyList<SsoSession>>(() => [.. _sessions.Rows.Where(s => s.UserId == userId).OrderBy(s => s.Seq).AsEnumerable().Select(s => s.ToRecord())]);

    public virtual Task<int> DeleteForUserAsync(string userId, CancellationToken ct) =>
        Locked(() => _sessions.DeleteAll(s => s.UserId == userId));
}

using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Gatehouse.Storage.Queries;

namespace Gatehouse.Storage.Memory;

/// <summary>Protection settings, signing keys, refresh-token families and the audit log.</summary>
public partial class InMemoryGatehouseStore
{
    private readonly MemoryTable<ProtectionSettingsEntity> _protection = new(s => s.Kind);
    private readonly MemoryTable<SigningKeyEntity> _signingKeys = new(k => k.Kid);
    private readonly MemoryTable<RefreshTokenEntity> _refreshTokens = new(t => t.TokenHash);
    private readonly Dictionary<string, LogEventEntity> _logs = new(StringComparer.Ordinal);

    public virtual Task<ProtectionSettings?> GetProtectionSettingsAsync(string kind, CancellationToken ct) =>
        Locked(() => _protection.Find(s => s.Kind == kind)?.ToRecord());

    public virtual Task<ProtectionSettings> SaveProtectionSettingsAsync(ProtectionSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Locked(() => Save(_protection, s => s.Kind == settings.Kind, ProtectionSettingsEntity.From(settings), "Attack protection settings").ToRecord());
    }

    public virtual Task<IReadOnlyList<SigningKey>> ListSigningKeysAsync(CancellationToken ct) =>
        Locked<IReadOnlyList<SigningKey>>(() => [.. _signingKeys.Rows.OrderBy(k => k.Seq).AsEnumerable().Select(k => k.ToRecord())]);

    public virtual Task<SigningKey> CreateSigningKeyAsync(SigningKey key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        var created = key with { Version = 1 };
        return Locked(() => { _signingKeys.Insert(SigningKeyEntity.From(created), $"Signing key '{key.Kid}'"); return created; });
    }

    public virtual Task<SigningKey> UpdateSigningKeyAsync(SigningKey key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Locked(() =>
        {
            _signingKeys.Update(k => k.Kid == key.Kid, SigningKeyEntity.From(key), $"Signing key '{key.Kid}'");
            return key with { Version = key.Version + 1 };
        });
    }

    public virtual Task<RefreshToken?> GetRefreshTokenAsync(string tokenHash, CancellationToken ct) =>
        Locked(() => _refreshTokens.Find(t => t.TokenHash == tokenHash)?.ToRecord());

    public virtual Task<RefreshToken> CreateRefreshTokenAsync(RefreshToken token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        var created = token with { Version = 1 };
        return Locked(() => { _refreshTokens.Insert(RefreshTokenEntity.From(created), "Refresh token"); return created; });
    }

    public virtual Task<RefreshToken> UpdateRefreshTokenAsync(RefreshToken token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Locked(() =>
        {
            _refreshTokens.Update(t => t.TokenHash == token.TokenHash, RefreshTokenEntity.From(token), "Refresh token");
            return token with { Version = token.Version + 1 };
        });
    }

    /// <summary>Bumps each revoked token's Version too, so a rotation racing the revocation ends in Conflict.</summary>
    public virtual Task<int> RevokeRefreshTokenFamilyAsync(string familyId, DateTimeOffset at, CancellationToken ct) =>
        Locked(() =>
        {
            var revoked = 0;
            int index;
            while ((index = _refreshTokens.IndexOf(t => t.FamilyId == familyId && t.RevokedAt == null)) >= 0)
            {
                var token = _refreshTokens.At(index).ToRecord();
                _refreshTokens.Replace(index, RefreshTokenEntity.From(token with { RevokedAt = at }), "Refresh token");
                revoked++;
            }
            return revoked;
        });

    public virtual Task<int> RevokeRefreshTokensOfUserAsync(string userId, DateTimeOffset at, CancellationToken ct) =>
        Locked(() =>
        {
            var revoked = 0;
            int index;
            while ((index = _refreshTokens.IndexOf(t => t.UserId == userId && t.RevokedAt == null)) >= 0)
            {
                var token = _refreshTokens.At(index).ToRecord();
                _refreshTokens.Replace(index, RefreshTokenEntity.From(token with { RevokedAt = at }), "Refresh token");
                revoked++;
            }
            return revoked;
        });

    public virtual Task AppendLogAsync(LogEvent logEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        return Locked(() =>
        {
            if (!_logs.TryAdd(logEvent.LogId, LogEventEntity.From(logEvent)))
                throw new StoreException(StoreError.AlreadyExists, $"Log '{logEvent.LogId}' already exists (its id or a unique value is taken).");
        });
    }

    public virtual Task<LogEvent?> GetLogAsync(string logId, CancellationToken ct) =>
        Locked(() => _logs.GetValueOrDefault(logId)?.ToRecord());

    /// <summary>The EF store's query: the filter, the checkpoint and the order are <see cref="LogQueries"/>' own.</summary>
    public virtual Task<Page<LogEvent>> ListLogsAsync(LogQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Locked(() =>
        {
            var logs = _logs.Values.AsQueryable();
            if (query.Filter is { } filter)
                logs = logs.Where(FilterTranslator.Translate(filter, LogQueries.Fields));

            var page = query.Page;
            if (query.FromLogId is { } fromLogId)
            {
                DateTimeOffset? from = _logs.TryGetValue(fromLogId, out var checkpoint) ? checkpoint.Date : null;
                logs = query.OldestFirst ? LogQueries.NewerThan(logs, fromLogId, from) : LogQueries.OlderThan(logs, fromLogId, from);
                page = PageRequest.Window(0, page.PerPage);
            }
            var ordered = query.OldestFirst ? LogQueries.OldestFirst(logs) : LogQueries.NewestFirst(logs);
            return PageOf(ordered, page, l => l.ToRecord());
        });
    }
}

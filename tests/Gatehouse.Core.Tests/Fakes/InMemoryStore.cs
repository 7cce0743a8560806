using Gatehouse.Core.Storage;
using Gatehouse.Storage.Memory;

namespace Gatehouse.Core.Tests.Fakes;

/// <summary>
/// The in-memory store (conformance-tested like SQLite and PostgreSQL) plus what unit tests watch: every call by name,
/// the records as they now are, and a way to hold a signing-key reload in flight.
/// </summary>
public sealed class InMemoryStore : InMemoryGatehouseStore, ISigningKeyStore
{
    private readonly AsyncLocal<bool> _reading = new();
    private readonly AsyncLocal<bool> _otherNode = new();
    private readonly List<string> _refreshTokenHashes = [];

    /// <summary>Every store call by name, in order (lets tests assert what a step looked up). The views below are not counted.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>When set, listing signing keys waits for it: a test can hold a reload in flight.</summary>
    public Task? SigningKeysHeld { get; set; }

    public event Action? SigningKeysChanged;

    /// <summary>Plays another node sharing this store telling that it rotated or revoked a key.</summary>
    public void TellSigningKeysChanged() => SigningKeysChanged?.Invoke();

    public IReadOnlyList<LogEvent> Logs =>
        Read(() => ListLogsAsync(new LogQuery(null, null, PageRequest.All) { OldestFirst = true }, default)).Items;

    public IReadOnlyList<User> Users =>
        Read(() => ListUsersAsync(new UserQuery(null, null, null, false, PageRequest.All), default)).Items;

    public IReadOnlyList<SigningKey> SigningKeys => Read(() => base.ListSigningKeysAsync(default));

    public IReadOnlyList<RefreshToken> RefreshTokens
    {
        get
        {
            string[] hashes;
            lock (_refreshTokenHashes)
                hashes = [.. _refreshTokenHashes];
            return [.. hashes.Select(h => Read(() => GetRefreshTokenAsync(h, default))).OfType<RefreshToken>()];
        }
    }

    /// <summary>Runs <paramref name="write"/> as another node would: this node's caches are not told.</summary>
    public async Task AsAnotherNodeAsync(Func<Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _otherNode.Value = true;
        try
        {
            await write();
        }
        finally
        {
            _otherNode.Value = false;
        }
    }

    protected override void OnConfigurationChanged()
    {
        if (!_otherNode.Value)
            base.OnConfigurationChanged();
    }

    protected override void OnCall(string member)
    {
        if (!_reading.Value)
            Calls.Add(member);
    }

    public override async Task<IReadOnlyList<SigningKey>> ListSigningKeysAsync(CancellationToken ct)
    {
        var keys = await base.ListSigningKeysAsync(ct);
        if (SigningKeysHeld is { } held)
            await held;
        return keys;
    }

    public override async Task<RefreshToken> CreateRefreshTokenAsync(RefreshToken token, CancellationToken ct)
    {
        var created = await base.CreateRefreshTokenAsync(token, ct);
        lock (_refreshTokenHashes)
            _refreshTokenHashes.Add(created.TokenHash);
        return created;
    }

    /// <summary>A view for assertions: the store answers at once (it has no I/O) and the call is not recorded.</summary>
    private T Read<T>(Func<Task<T>> read)
    {
        _reading.Value = true;
        try
        {
            return read().GetAwaiter().GetResult();
        }
        finally
        {
            _reading.Value = false;
        }
    }
}

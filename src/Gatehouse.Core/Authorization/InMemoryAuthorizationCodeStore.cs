namespace Gatehouse.Core.Authorization;

/// <summary>
/// Authorization codes in memory, keyed by their hash. Redemption is one atomic step: the first caller gets the code
/// and the entry turns into a replay marker kept for <see cref="AuthorizationOptions.CodeReplayMemorySeconds"/>, so a
/// second redemption is recognised (and can revoke the refresh-token family the first one issued).
/// </summary>
public sealed class InMemoryAuthorizationCodeStore(AuthorizationOptions options, TimeProvider time) : IAuthorizationCodeStore
{
    private sealed record Entry(AuthorizationCode Code, bool Redeemed, string? FamilyId);

    private readonly ExpiringMap<Entry> _codes = new(options.MaxCodes, time);

    /// <summary>Codes held now, redeemed ones included (flood tests read it).</summary>
    public int Count => _codes.Count;

    public Task SaveAsync(AuthorizationCode code, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(code);
        _codes.Set(code.CodeHash, new Entry(code, Redeemed: false, FamilyId: null), code.ExpiresAt);
        return Task.CompletedTask;
    }

    public Task<CodeRedemption> RedeemAsync(string codeHash, CancellationToken ct)
    {
        var memory = time.GetUtcNow().AddSeconds(options.CodeReplayMemorySeconds);
        if (!_codes.TryUpdate(codeHash, entry => (entry with { Redeemed = true }, entry.Redeemed ? memory : Later(memory, entry.Code.ExpiresAt)), out var before))
            return Task.FromResult(new CodeRedemption(null, false));
        return Task.FromResult(before.Redeemed ? new CodeRedemption(before.Code, true) : new CodeRedemption(before.Code, false));
    }

    public Task RecordIssuedFamilyAsync(string codeHash, string refreshTokenFamilyId, CancellationToken ct)
    {
        var memory = time.GetUtcNow().AddSeconds(options.CodeReplayMemorySeconds);
        _codes.TryUpdate(codeHash, entry => (entry with { FamilyId = refreshTokenFamilyId }, memory), out _);
        return Task.CompletedTask;
    }

    public Task<string?> IssuedFamilyAsync(string codeHash, CancellationToken ct) =>
        Task.FromResult(_codes.TryGet(codeHash, out var entry) ? entry.FamilyId : null);

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

using Gatehouse.Core.Security;

namespace Gatehouse.Core.Authorization;

/// <summary>
/// What an <c>mfa_token</c> stands for: the password grant a provider refused for a second factor (or a Conditional
/// Access policy) and who tried it. Whatever continues from it must end with the same account at the same connection.
/// </summary>
/// <param name="Username">The username the password grant was sent, as sent.</param>
/// <param name="ExternalKey">The provider's key of the account (Azure AD: "&lt;tid&gt;/&lt;oid&gt;") when Gatehouse already knows this user; null before the first login.</param>
public sealed record MfaBinding(
    string ClientId,
    string ConnectionId,
    string ConnectionName,
    string Username,
    string? ExternalKey,
    string? Audience,
    string Scope,
    DateTimeOffset ExpiresAt);

/// <summary>Why a presented mfa_token or continuation handle gives nothing.</summary>
public enum MfaTokenRefusal
{
    None,
    /// <summary>Never issued, already used, or garbage.</summary>
    Unknown,
    /// <summary>Issued, unused, but older than its lifetime.</summary>
    Expired,
    /// <summary>Issued to another application: used up all the same, so a leaked token cannot be tried twice.</summary>
    OtherClient,
}

/// <summary>Which of the two single-use values an <see cref="MfaBinding"/> is kept under.</summary>
public enum MfaTokenKind
{
    /// <summary>The <c>mfa_token</c> a password grant answered.</summary>
    Token,

    /// <summary>The <c>mfa_continuation</c> handle <c>/mfa/continue</c> exchanged it for.</summary>
    BrowserHandle,
}

/// <summary>
/// Where <see cref="MfaTokens"/> keeps its bindings, under the SHA-256 of the token (never the token): in memory on one
/// node (<see cref="InMemoryMfaTokenStore"/>), in Redis for several. <see cref="TakeAsync"/> is single use across nodes.
/// </summary>
public interface IMfaTokenStore
{
    Task SaveAsync(MfaTokenKind kind, string tokenHash, MfaBinding binding, DateTimeOffset keepUntil, CancellationToken ct);

    /// <summary>The binding, removed: exactly one caller gets it; null when unknown, already taken or past keepUntil.</summary>
    Task<MfaBinding?> TakeAsync(MfaTokenKind kind, string tokenHash, CancellationToken ct);
}

/// <summary>The bindings in memory: bounded (<see cref="MfaTokens.Capacity"/> per kind, the oldest go first), expiring.</summary>
public sealed class InMemoryMfaTokenStore(TimeProvider time) : IMfaTokenStore
{
    private readonly ExpiringMap<MfaBinding> _tokens = new(MfaTokens.Capacity, time);
    private readonly ExpiringMap<MfaBinding> _browser = new(MfaTokens.Capacity, time);

    public Task SaveAsync(MfaTokenKind kind, string tokenHash, MfaBinding binding, DateTimeOffset keepUntil, CancellationToken ct)
    {
        Map(kind).Set(tokenHash, binding, keepUntil);
        return Task.CompletedTask;
    }

    public Task<MfaBinding?> TakeAsync(MfaTokenKind kind, string tokenHash, CancellationToken ct) =>
        Task.FromResult(Map(kind).TryTake(tokenHash, out var binding) ? binding : null);

    private ExpiringMap<MfaBinding> Map(MfaTokenKind kind) => kind == MfaTokenKind.Token ? _tokens : _browser;
}

/// <summary>
/// <c>mfa_token</c>s and the browser continuation handles exchanged for them: opaque random values, kept only as
/// SHA-256 hashes (<see cref="IMfaTokenStore"/>: bounded and expiring in memory, or Redis), single use. Auth0's
/// lifetime: 10 minutes, not configurable. An expired token is remembered for one more lifetime so that the caller
/// hears <c>expired_token</c>, not "malformed".
/// </summary>
public sealed class MfaTokens(TimeProvider time, IMfaTokenStore store)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>Tokens held at once in memory; the oldest go first beyond this (a flood of refusals costs at most this much memory).</summary>
    public const int Capacity = 10000;

    /// <summary>In memory: one node.</summary>
    public MfaTokens(TimeProvider time) : this(time, new InMemoryMfaTokenStore(time))
    {
    }

    /// <summary>A new mfa_token for this refusal (the binding's ExpiresAt is set here).</summary>
    public Task<string> IssueAsync(MfaBinding binding, CancellationToken ct) =>
        PutAsync(MfaTokenKind.Token, binding with { ExpiresAt = time.GetUtcNow() + Lifetime }, ct);

    /// <summary>Spends an mfa_token for <paramref name="clientId"/>: the binding, or why not.</summary>
    public Task<(MfaBinding? Binding, MfaTokenRefusal Refusal)> TakeAsync(string raw, string clientId, CancellationToken ct) =>
        TakeFromAsync(MfaTokenKind.Token, raw, clientId, ct);

    /// <summary>A handle for the <c>/authorize</c> URL: the binding moves on with the token's remaining lifetime.</summary>
    public Task<string> IssueBrowserHandleAsync(MfaBinding binding, CancellationToken ct) => PutAsync(MfaTokenKind.BrowserHandle, binding, ct);

    /// <summary>Spends a browser handle at <c>/authorize</c>.</summary>
    public Task<(MfaBinding? Binding, MfaTokenRefusal Refusal)> TakeBrowserHandleAsync(string raw, string clientId, CancellationToken ct) =>
        TakeFromAsync(MfaTokenKind.BrowserHandle, raw, clientId, ct);

    private async Task<string> PutAsync(MfaTokenKind kind, MfaBinding binding, CancellationToken ct)
    {
        var raw = Secrets.RandomToken(32);
        await store.SaveAsync(kind, Secrets.HashToken(raw), binding, binding.ExpiresAt + Lifetime, ct);
        return raw;
    }

    private async Task<(MfaBinding?, MfaTokenRefusal)> TakeFromAsync(MfaTokenKind kind, string raw, string clientId, CancellationToken ct)
    {
        if (raw.Length is 0 or > 256 || await store.TakeAsync(kind, Secrets.HashToken(raw), ct) is not { } binding)
            return (null, MfaTokenRefusal.Unknown);
        if (binding.ExpiresAt <= time.GetUtcNow())
            return (null, MfaTokenRefusal.Expired);
        // Client ids are public; the token itself is the secret and was looked up by its hash.
        if (!string.Equals(binding.ClientId, clientId, StringComparison.Ordinal))
            return (null, MfaTokenRefusal.OtherClient);
        return (binding, MfaTokenRefusal.None);
    }
}

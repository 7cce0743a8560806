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

/// <summary>
/// <c>mfa_token</c>s and the browser continuation handles exchanged for them: opaque random values, kept only as
/// SHA-256 hashes in memory (bounded, expiring), single use. Auth0's lifetime: 10 minutes, not configurable. An
/// expired token is remembered for one more lifetime so that the caller hears <c>expired_token</c>, not "malformed".
/// </summary>
public sealed class MfaTokens(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>Tokens held at once; the oldest go first beyond this (a flood of refusals costs at most this much memory).</summary>
    public const int Capacity = 10000;

    private readonly ExpiringMap<MfaBinding> _tokens = new(Capacity, time);
    private readonly ExpiringMap<MfaBinding> _browser = new(Capacity, time);

    /// <summary>A new mfa_token for this refusal (the binding's ExpiresAt is set here).</summary>
    public string Issue(MfaBinding binding) => Put(_tokens, binding with { ExpiresAt = time.GetUtcNow() + Lifetime });

    /// <summary>Spends an mfa_token for <paramref name="clientId"/>: the binding, or why not.</summary>
    public (MfaBinding? Binding, MfaTokenRefusal Refusal) Take(string raw, string clientId) => TakeFrom(_tokens, raw, clientId);

    /// <summary>A handle for the <c>/authorize</c> URL: the binding moves on with the token's remaining lifetime.</summary>
    public string IssueBrowserHandle(MfaBinding binding) => Put(_browser, binding);

    /// <summary>Spends a browser handle at <c>/authorize</c>.</summary>
    public (MfaBinding? Binding, MfaTokenRefusal Refusal) TakeBrowserHandle(string raw, string clientId) => TakeFrom(_browser, raw, clientId);

    private static string Put(ExpiringMap<MfaBinding> map, MfaBinding binding)
    {
        var raw = Secrets.RandomToken(32);
        map.Set(Secrets.HashToken(raw), binding, binding.ExpiresAt + Lifetime);
        return raw;
    }

    private (MfaBinding?, MfaTokenRefusal) TakeFrom(ExpiringMap<MfaBinding> map, string raw, string clientId)
    {
        if (raw.Length is 0 or > 256 || !map.TryTake(Secrets.HashToken(raw), out var binding))
            return (null, MfaTokenRefusal.Unknown);
        if (binding.ExpiresAt <= time.GetUtcNow())
            return (null, MfaTokenRefusal.Expired);
        // Client ids are public; the token itself is the secret and was looked up by its hash.
        if (!string.Equals(binding.ClientId, clientId, StringComparison.Ordinal))
            return (null, MfaTokenRefusal.OtherClient);
        return (binding, MfaTokenRefusal.None);
    }
}

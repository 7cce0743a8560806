using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>
/// What the browser flows keep between requests: pending sign-in flows, browser sessions, authorization codes,
/// user consents and the MFA codes tests read through the admin API. All in memory; cleared by /_emulator/reset.
/// </summary>
internal sealed class InteractiveState(TimeProvider time)
{
    /// <summary>Entra's codes live about ten minutes (interactive-flows.md §5.2).</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan FlowLifetime = TimeSpan.FromMinutes(30);
    private const int PruneAbove = 1000;

    private readonly byte[] _canaryKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, AuthorizeFlow> _flows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BrowserSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CodeEntry> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string User, string Client, string Resource), IReadOnlySet<string>> _consents = new();
    private readonly ConcurrentDictionary<string, string> _mfaCodes = new(StringComparer.OrdinalIgnoreCase);

    public DateTimeOffset Now => time.GetUtcNow();

    public static string NewId(int bytes = 32) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    public AuthorizeFlow StartFlow(AuthorizeParameters parameters)
    {
        Prune(_flows, f => f.CreatedAt + FlowLifetime <= Now);
        var flow = new AuthorizeFlow(NewId(), parameters, Now);
        _flows[flow.Id] = flow;
        return flow;
    }

    public AuthorizeFlow? FindFlow(string? id) =>
        id is not null && _flows.TryGetValue(id, out var f) && f.CreatedAt + FlowLifetime > Now ? f : null;

    public void EndFlow(AuthorizeFlow flow)
    {
        _flows.TryRemove(flow.Id, out _);
        if (flow.UserId is { } user) _mfaCodes.TryRemove(user, out _);
    }

    /// <summary>The anti-forgery value a flow's forms carry: bound to the flow and to the browser's id cookie.</summary>
    public string Canary(string browserId, string flowId) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_canaryKey, Encoding.UTF8.GetBytes(browserId + "|" + flowId)));

    public bool CanaryMatches(string? browserId, string flowId, string? sent) =>
        browserId is not null && sent is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(Canary(browserId, flowId)));

    public BrowserSession StartSession(string userId, string tenantId, bool mfa)
    {
        var session = new BrowserSession(NewId(), userId, tenantId, Now, mfa);
        _sessions[session.Id] = session;
        return session;
    }

    public BrowserSession? FindSession(string? id) => id is not null && _sessions.TryGetValue(id, out var s) ? s : null;

    public void EndSession(string? id)
    {
        if (id is not null) _sessions.TryRemove(id, out _);
    }

    public string IssueCode(CodeGrant grant)
    {
        Prune(_codes, c => c.Grant.ExpiresAt <= Now);
        var code = "1.A" + NewId(48);
        _codes[code] = new CodeEntry(grant);
        return code;
    }

    public CodeEntry? FindCode(string code) => _codes.GetValueOrDefault(code);

    /// <summary>Consumes a code once: only the first caller wins, so a replay can never issue twice.</summary>
    public static bool TryRedeem(CodeEntry entry) => Interlocked.Exchange(ref entry.Redeemed, 1) == 0;

    public void Consent(string userId, string clientId, string resourceAppId, IEnumerable<string> scopes) =>
        _consents.AddOrUpdate((userId, clientId, resourceAppId),
            _ => new HashSet<string>(scopes, StringComparer.OrdinalIgnoreCase),
            (_, old) => new HashSet<string>(old.Concat(scopes), StringComparer.OrdinalIgnoreCase));

    /// <summary>Scopes the user consented to for this client on this resource through the consent page.</summary>
    public IReadOnlySet<string>? ConsentOf(string userId, string clientId, string resourceAppId) =>
        _consents.GetValueOrDefault((userId, clientId, resourceAppId));

    public string NewMfaCode(string userId)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        _mfaCodes[userId] = code;
        return code;
    }

    public void ClearMfaCode(string userId) => _mfaCodes.TryRemove(userId, out _);

    /// <summary>The one-time code of the user's pending MFA step, if any (admin API).</summary>
    public string? PendingMfaCode(string userId) => _mfaCodes.GetValueOrDefault(userId);

    /// <summary>Signs every browser out.</summary>
    public void ClearSessions() => _sessions.Clear();

    public void Clear()
    {
        _flows.Clear();
        _sessions.Clear();
        _codes.Clear();
        _consents.Clear();
        _mfaCodes.Clear();
    }

    private static void Prune<T>(ConcurrentDictionary<string, T> items, Func<T, bool> expired)
    {
        if (items.Count < PruneAbove) return;
        foreach (var (key, value) in items)
            if (expired(value)) items.TryRemove(key, out _);
    }
}

/// <summary>A code and whether it was redeemed (kept until expiry, so a replay is told AADSTS54005).</summary>
internal sealed class CodeEntry(CodeGrant grant)
{
    public CodeGrant Grant { get; } = grant;
    public int Redeemed;
}

/// <summary>What an authorization code stands for.</summary>
internal sealed record CodeGrant(
    string TenantId, string UserId, string ClientId, string RedirectUri, string? Scope, string? Resource,
    string? CodeChallenge, string? CodeChallengeMethod, string? Nonce, bool Mfa, DateTimeOffset ExpiresAt);

/// <summary>The emulator's browser session (the ESTSAUTH cookie): who signed in, when, with MFA or not.</summary>
internal sealed class BrowserSession(string id, string userId, string tenantId, DateTimeOffset authTime, bool mfa)
{
    private readonly ConcurrentDictionary<string, bool> _clients = new(StringComparer.OrdinalIgnoreCase);

    public string Id { get; } = id;
    public string UserId { get; } = userId;
    public string TenantId { get; } = tenantId;
    public DateTimeOffset AuthTime { get; } = authTime;
    public bool Mfa { get; } = mfa;
    public IEnumerable<string> ClientIds => _clients.Keys;

    public void SignedInTo(string clientId) => _clients[clientId] = true;
}

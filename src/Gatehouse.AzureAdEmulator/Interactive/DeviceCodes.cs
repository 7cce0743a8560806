using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gatehouse.AzureAd.Emulator.Errors;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>
/// The device code flow's pending authorizations (interactive-flows.md §6): created by /devicecode, approved or
/// declined on /devicelogin, redeemed once by the polling app. Also counts wrong user codes per browser.
/// </summary>
internal sealed class DeviceCodes(TimeProvider time)
{
    /// <summary>Entra's device codes live 15 minutes and ask for polls every 5 seconds.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(900);
    public const int Interval = 5;
    /// <summary>Wrong user codes one browser may enter within <see cref="AttemptWindow"/> before the page stops trying.</summary>
    public const int MaxWrongUserCodes = 5;
    public static readonly TimeSpan AttemptWindow = TimeSpan.FromMinutes(15);

    /// <summary>Nine characters as Entra's (e.g. BPPVYQZMA); no I, O, 0 or 1, which read alike.</summary>
    private const string UserCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int UserCodeLength = 9;
    private const int PruneAbove = 1000;

    private readonly ConcurrentDictionary<string, DeviceAuthorization> _byDeviceCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeviceAuthorization> _byUserCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WrongCodes> _wrongCodes = new(StringComparer.Ordinal);

    public DateTimeOffset Now => time.GetUtcNow();

    public DeviceAuthorization Create(DeviceRequest request)
    {
        Prune();
        while (true)
        {
            var entry = new DeviceAuthorization(
                "DAQABAAEAAAD" + InteractiveState.NewId(96), NewUserCode(), request, Now + Lifetime);
            if (!_byUserCode.TryAdd(entry.UserCode, entry)) continue; // a live code is never handed out twice
            _byDeviceCode[entry.DeviceCode] = entry;
            return entry;
        }
    }

    public DeviceAuthorization? FindByDeviceCode(string deviceCode) => _byDeviceCode.GetValueOrDefault(deviceCode);

    /// <summary>The authorization a typed user code names: case, spaces and dashes do not matter.</summary>
    public DeviceAuthorization? FindByUserCode(string typed)
    {
        var code = new string([.. typed.Where(ch => !char.IsWhiteSpace(ch) && ch != '-').Select(char.ToUpperInvariant)]);
        return code.Length == UserCodeLength ? _byUserCode.GetValueOrDefault(code) : null;
    }

    /// <summary>True when this browser has used up its wrong user codes for now.</summary>
    public bool AttemptsExhausted(string browserId) =>
        _wrongCodes.TryGetValue(browserId, out var w) && w.Since + AttemptWindow > Now && w.Count >= MaxWrongUserCodes;

    public void RecordWrongCode(string browserId) =>
        _wrongCodes.AddOrUpdate(browserId, _ => new WrongCodes(Now, 1),
            (_, w) => w.Since + AttemptWindow > Now ? w with { Count = w.Count + 1 } : new WrongCodes(Now, 1));

    public void Clear()
    {
        _byDeviceCode.Clear();
        _byUserCode.Clear();
        _wrongCodes.Clear();
    }

    private static string NewUserCode() =>
        string.Create(UserCodeLength, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = UserCodeAlphabet[RandomNumberGenerator.GetInt32(UserCodeAlphabet.Length)];
        });

    private void Prune()
    {
        if (_byDeviceCode.Count < PruneAbove) return;
        foreach (var (code, entry) in _byDeviceCode)
        {
            if (entry.ExpiresAt > Now) continue;
            _byDeviceCode.TryRemove(code, out _);
            _byUserCode.TryRemove(entry.UserCode, out _);
        }
        foreach (var (browser, w) in _wrongCodes)
            if (w.Since + AttemptWindow <= Now) _wrongCodes.TryRemove(browser, out _);
    }

    private sealed record WrongCodes(DateTimeOffset Since, int Count);
}

/// <summary>What the app asked for at /devicecode.</summary>
internal sealed record DeviceRequest(string Version, string TenantSegment, string ClientId, string AppName, string? Scope, string? Resource);

internal enum DeviceStatus
{
    Pending,
    Approved,
    Refused,
    Redeemed,
}

/// <summary>One device authorization. Its state changes under its own lock: approval, refusal and redemption race.</summary>
internal sealed class DeviceAuthorization(string deviceCode, string userCode, DeviceRequest request, DateTimeOffset expiresAt)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastPoll;

    public string DeviceCode { get; } = deviceCode;
    public string UserCode { get; } = userCode;
    public DeviceRequest Request { get; } = request;
    public DateTimeOffset ExpiresAt { get; } = expiresAt;
    public DeviceStatus Status { get; private set; }
    public string? UserId { get; private set; }
    public string? TenantId { get; private set; }
    public bool Mfa { get; private set; }
    /// <summary>Why the sign-in ended without approval: what the poller is told.</summary>
    public AadstsError? Refusal { get; private set; }

    public bool IsPending(DateTimeOffset now)
    {
        lock (_gate) return Status == DeviceStatus.Pending && now < ExpiresAt;
    }

    public bool Approve(string userId, string tenantId, bool mfa, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Status != DeviceStatus.Pending || now >= ExpiresAt) return false;
            (Status, UserId, TenantId, Mfa) = (DeviceStatus.Approved, userId, tenantId, mfa);
            return true;
        }
    }

    public void Refuse(AadstsError reason)
    {
        lock (_gate)
        {
            if (Status != DeviceStatus.Pending) return;
            (Status, Refusal) = (DeviceStatus.Refused, reason);
        }
    }

    /// <summary>
    /// The answer to one poll before any tokens: null when approved and ready to redeem. A pending poll sooner than
    /// the interval after the previous one is told slow_down (RFC 8628 §3.5).
    /// </summary>
    public AadstsError? Poll(DateTimeOffset now)
    {
        lock (_gate)
        {
            var previous = _lastPoll;
            _lastPoll = now;
            if (Status == DeviceStatus.Redeemed) return Aadsts.DeviceCodeRedeemed();
            if (now >= ExpiresAt) return Aadsts.DeviceCodeExpired();
            if (Status == DeviceStatus.Refused) return Refusal;
            if (Status == DeviceStatus.Approved) return null;
            return previous is { } p && now - p < TimeSpan.FromSeconds(DeviceCodes.Interval)
                ? Aadsts.SlowDown(DeviceCodes.Interval)
                : Aadsts.AuthorizationPending();
        }
    }

    /// <summary>Consumes an approved authorization once: of two concurrent redemptions exactly one gets tokens.</summary>
    public bool TryRedeem()
    {
        lock (_gate)
        {
            if (Status != DeviceStatus.Approved) return false;
            Status = DeviceStatus.Redeemed;
            return true;
        }
    }
}

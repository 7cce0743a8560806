using System.Text.Json;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Protection;

/// <summary>
/// Attack protection around a password login: before it, refuse a throttled IP or a blocked identifier (429
/// too_many_attempts, and the connection is never asked: no Azure AD call); after it, count a failure or clear the
/// counts on success, and log <c>limit_mu</c> / <c>limit_wc</c> once when a limit trips. Refusals by the connection
/// count (unknown user and wrong password alike, so a block says nothing about whether the user exists; policy
/// refusals such as mfa_required too); bad requests and upstream outages do not.
/// </summary>
public sealed class LoginProtection(SuspiciousIpThrottle throttle, BruteForceCounter bruteForce, AuditLog audit)
{
    public const string BlockedDescription =
        "Your account has been blocked after multiple consecutive login attempts. Please try again later or contact the administrator.";

    public const string ThrottledDescription =
        "We have detected suspicious login behavior and further attempts will be blocked. Please contact the administrator.";

    /// <summary>
    /// Runs <paramref name="login"/> inside attack protection (every password surface does: the password grants, the
    /// hosted login page): refused before it runs when the IP is throttled or the identifier blocked, and counted after
    /// it (a refusal by the connection counts, success clears). Returns the refusal that kept it from running, or null.
    /// </summary>
    public async Task<GrantOutcome.Refused?> RunAsync(
        LoginAttempt attempt, string username, Func<Task<(User? User, GrantOutcome.Refused? Refusal)>> login, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (await CheckAsync(attempt, ct) is { } refusal)
            return new GrantOutcome.Refused(refusal.Error) { UserName = username, Detail = refusal.Detail };

        var (user, refused) = await login();
        try
        {
            if (refused is null)
                await RecordSuccessAsync(attempt, user, ct);
            else if (refused.CredentialsRefused)
                // Every refusal counts, policy ones too (mfa_required tells a guesser the password was right: docs/errors.md);
                // only a wrong password counts toward the provider's lockout (an unknown user has no account to lock).
                await RecordFailureAsync(attempt, upstreamCounted: refused.AuditType == LogTypes.WrongPassword, ct);
        }
        catch (SharedStateUnavailableException)
        {
            // The counters went away after the check (fail-closed; fail-open never throws): the login's own answer stands.
        }
        return null;
    }

    /// <summary>The refusal and its audit-only detail, or null when the login may go ahead.</summary>
    public async Task<(OAuthError Error, string Detail)?> CheckAsync(LoginAttempt attempt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        try
        {
            if (await throttle.RetryAfterAsync(attempt.Ip, ct) is { } wait)
            {
                return (new OAuthError(429, "too_many_attempts", ThrottledDescription) { RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) },
                    "suspicious IP throttling: this IP is blocked");
            }
            if (await bruteForce.IsBlockedAsync(attempt, ct))
                return (new OAuthError(429, "too_many_attempts", BlockedDescription), "brute-force protection: this identifier is blocked");
        }
        catch (SharedStateUnavailableException)
        {
            // Fail-closed (Redis:AttackProtectionWhenDown): no password is checked that the counters cannot limit.
            return (Unavailable, "attack protection unavailable: its shared counters did not answer (fail-closed)");
        }
        return null;
    }

    /// <summary>The answer while attack protection's counters are down and it fails closed: the client retries shortly.</summary>
    public static readonly OAuthError Unavailable =
        new(503, "temporarily_unavailable", "Login is temporarily unavailable. Please try again later.") { RetryAfterSeconds = 5 };

    /// <summary>A refused login with wrong credentials; <paramref name="upstreamCounted"/> when Azure AD counted it (wrong password).</summary>
    public async Task RecordFailureAsync(LoginAttempt attempt, bool upstreamCounted, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (await throttle.RecordFailureAsync(attempt.Ip, ct) is { } stage)
        {
            await audit.WriteAsync(attempt.Caller with
            {
                Type = LogTypes.SuspiciousIpBlock,
                Description = "Too many failed logins from this IP address across accounts: further attempts from it are throttled.",
                Details = Details(new() { ["ip"] = attempt.Ip, ["max_attempts"] = stage.MaxAttempts, ["rate"] = stage.Rate, ["stage"] = "pre-login" }),
            }, ct);
        }
        foreach (var trip in await bruteForce.RecordFailureAsync(attempt, upstreamCounted, ct))
        {
            await audit.WriteAsync(attempt.Caller with
            {
                Type = LogTypes.BruteForceBlock,
                Description = trip.Entry.Upstream
                    ? "Too many wrong passwords for this account from addresses it does not sign in from: the identity provider is not asked from them for a while, so it does not lock the account out."
                    : trip.Entry.Ip is null
                        ? "Too many failed logins for this account: further attempts from any IP address are blocked."
                        : "Too many failed logins for this account from this IP address: further attempts from it are blocked.",
                Details = Details(new()
                {
                    ["identifier"] = attempt.Identifier,
                    ["ip"] = trip.Entry.Ip is { Length: > 0 } ip ? ip : null,
                    ["attempts"] = trip.Count,
                    ["max_attempts"] = trip.Threshold,
                    ["mode"] = trip.Entry.Upstream ? "upstream_lockout_guard" : trip.Entry.Ip is null ? "count_per_identifier" : "count_per_identifier_and_ip",
                    ["blocked"] = trip.Blocks,
                }),
            }, ct);
        }
    }

    public Task RecordSuccessAsync(LoginAttempt attempt, User? user, CancellationToken ct) => bruteForce.RecordSuccessAsync(attempt, user, ct);

    private static JsonElement Details(Dictionary<string, object?> values) =>
        JsonSerializer.SerializeToElement(values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value));
}

using Gatehouse.AzureAd.Emulator.Tokens;

namespace Gatehouse.AzureAd.Emulator;

/// <summary>Fault rules in force, plus signing-key rotation. Thread-safe; counts decrement atomically.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly SigningKeys _keys;
    private List<Entry> _entries = [];
    private int _nextId;

    internal FaultInjector(SigningKeys keys) => _keys = keys;

    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (_gate) return _entries.Select(e => e.Rule with { Count = e.Remaining }).ToList();
        }
    }

    /// <summary>Adds a rule (validated); returns it with its id.</summary>
    public FaultRule Add(FaultRule rule)
    {
        var errors = new List<SeedError>();
        if (!FaultKind.All.Contains(rule.Kind)) errors.Add(new("$.kind", $"'{rule.Kind}' is not one of {string.Join(", ", FaultKind.All)}"));
        if (!FaultRoute.All.Contains(rule.Route)) errors.Add(new("$.route", $"'{rule.Route}' is not one of {string.Join(", ", FaultRoute.All)}"));
        if (rule.Count is < 1) errors.Add(new("$.count", "must be at least 1"));
        if (rule.Status is not null and not (>= 400 and <= 599)) errors.Add(new("$.status", "must be an HTTP error status"));
        if (rule.RetryAfterSeconds is < 0) errors.Add(new("$.retryAfterSeconds", "must not be negative"));
        if (rule.DelayMs is < 0) errors.Add(new("$.delayMs", "must not be negative"));
        if (errors.Count > 0) throw new SeedValidationException(errors);
        lock (_gate)
        {
            var stored = rule with { Id = rule.Id ?? $"fault-{++_nextId}" };
            _entries = [.. _entries, new Entry(stored, rule.Count)];
            return stored;
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            var before = _entries.Count;
            _entries = _entries.Where(e => e.Rule.Id != id).ToList();
            return _entries.Count != before;
        }
    }

    public void Clear()
    {
        lock (_gate) _entries = [];
    }

    /// <summary>Signs new tokens with a new key (new kid); the old key stays in JWKS only if kept.</summary>
    public string RotateSigningKey(bool keepOldKey) => _keys.Rotate(keepOldKey).Kid;

    internal bool IsEmpty => Volatile.Read(ref _entries).Count == 0;

    /// <summary>True when some rule for this route is limited to a user (so the caller must find the user).</summary>
    internal bool NeedsUser(string route)
    {
        foreach (var e in Volatile.Read(ref _entries))
            if (e.Rule.User is not null && Matches(e.Rule.Route, route)) return true;
        return false;
    }

    /// <summary>The first matching rule, counting one use of it.</summary>
    internal FaultRule? Take(string route, string? user)
    {
        lock (_gate)
        {
            foreach (var e in _entries)
            {
                if (!Matches(e.Rule.Route, route)) continue;
                if (e.Rule.User is not null && !string.Equals(e.Rule.User, user, StringComparison.OrdinalIgnoreCase)) continue;
                if (e.Remaining is not null && --e.Remaining <= 0) _entries = _entries.Where(x => x != e).ToList();
                return e.Rule;
            }
            return null;
        }
    }

    private static bool Matches(string ruleRoute, string route) =>
        ruleRoute == FaultRoute.Any || ruleRoute == route
        || (ruleRoute == FaultRoute.Token && route is FaultRoute.TokenV1 or FaultRoute.TokenV2);

    private sealed class Entry(FaultRule rule, int? remaining)
    {
        public FaultRule Rule { get; } = rule;
        public int? Remaining { get; set; } = remaining;
    }
}

namespace Gatehouse.AzureAd.Emulator.Tokens;

/// <summary>The current signing key plus the keys still published in JWKS; rotation on demand.</summary>
internal sealed class SigningKeys(TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<SigningKey> _retired = [];
    private volatile KeySet _keys = new(SigningKey.Create(time), []);

    public SigningKey Current => _keys.Current;

    /// <summary>Keys in the JWKS: the current one first, then old keys that were kept.</summary>
    public IReadOnlyList<SigningKey> Published => _keys.Published;

    /// <summary>Signs with a new key; the old key stays in JWKS when <paramref name="keepOld"/>.</summary>
    public SigningKey Rotate(bool keepOld)
    {
        lock (_gate)
        {
            var old = _keys;
            var next = SigningKey.Create(time);
            var kept = keepOld ? old.Published.ToList() : [];
            if (!keepOld) _retired.AddRange(old.Published);
            _keys = new KeySet(next, [.. kept]);
            return next;
        }
    }

    public SigningKey? FindPublished(string kid)
    {
        foreach (var key in _keys.Published)
            if (key.Kid == kid) return key;
        return null;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var key in _keys.Published) key.Dispose();
            foreach (var key in _retired) key.Dispose();
        }
    }

    private sealed class KeySet
    {
        public KeySet(SigningKey current, SigningKey[] older)
        {
            Current = current;
            Published = [current, .. older];
        }

        public SigningKey Current { get; }
        public IReadOnlyList<SigningKey> Published { get; }
    }
}

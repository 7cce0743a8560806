namespace Gatehouse.Core.Tokens;

/// <summary>An immutable snapshot of the keys: the one that signs, and every key that is or was published.</summary>
public sealed class SigningKeyRing(SigningKeyMaterial current, IReadOnlyList<SigningKeyMaterial> all, DateTimeOffset loadedAt)
{
    public SigningKeyMaterial Current { get; } = current;

    public IReadOnlyList<SigningKeyMaterial> All { get; } = all;

    public DateTimeOffset LoadedAt { get; } = loadedAt;

    /// <summary>How many other nodes' key changes had been told when this ring was read (a later one makes it stale).</summary>
    public long Changes { get; init; }

    /// <summary>Keys in JWKS and accepted when validating: the current key first, then those still inside their window.</summary>
    public IReadOnlyList<SigningKeyMaterial> PublishedAt(DateTimeOffset now) =>
        [Current, .. All.Where(k => !ReferenceEquals(k, Current) && k.IsPublishedAt(now))];
}

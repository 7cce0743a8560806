using Gatehouse.Core.Security;

namespace Gatehouse.Core.Tests.Fakes;

/// <summary>The real PBKDF2 hasher (few iterations) that counts its verifications.</summary>
public sealed class CountingHasher(int iterations = 1000) : IPasswordHasher
{
    private readonly Pbkdf2PasswordHasher _inner = new(new PasswordHashingOptions { Iterations = iterations });

    public int Verifications { get; private set; }

    public List<string?> VerifiedHashes { get; } = [];

    public string Hash(string password) => _inner.Hash(password);

    public PasswordCheck Verify(string password, string? storedHash)
    {
        Verifications++;
        VerifiedHashes.Add(storedHash);
        return _inner.Verify(password, storedHash);
    }
}

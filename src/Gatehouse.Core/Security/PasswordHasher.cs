using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Core.Security;

public enum PasswordCheck
{
    Failed,
    Valid,
    /// <summary>Correct, but hashed with fewer iterations than configured now: store a fresh hash.</summary>
    ValidNeedsRehash,
}

public interface IPasswordHasher
{
    string Hash(string password);

    /// <summary>
    /// Checks a password against a stored hash. A null hash (unknown user) is checked against a dummy hash with
    /// the same cost, so an unknown user and a wrong password take the same time.
    /// </summary>
    PasswordCheck Verify(string password, string? storedHash);
}

public sealed class PasswordHashingOptions
{
    /// <summary>OWASP's current recommendation for PBKDF2-HMAC-SHA256. Tests may lower it.</summary>
    public int Iterations { get; set; } = 600_000;
}

/// <summary>
/// PBKDF2-HMAC-SHA256 in a self-describing format <c>$pbkdf2-sha256$i=600000$&lt;salt&gt;$&lt;hash&gt;</c>
/// (unpadded base64), so a raised iteration count still verifies old hashes and upgrades them on login.
/// </summary>
public sealed class Pbkdf2PasswordHasher : IPasswordHasher
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltSize = 16;
    private const int HashSize = 32;
    private readonly int _iterations;
    private readonly Lazy<(int Iterations, byte[] Salt, byte[] Hash)> _dummy;

    public Pbkdf2PasswordHasher(PasswordHashingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "Iterations must be at least 1.");
        _iterations = options.Iterations;
        _dummy = new Lazy<(int, byte[], byte[])>(() =>
            (_iterations, RandomNumberGenerator.GetBytes(SaltSize), RandomNumberGenerator.GetBytes(HashSize)));
    }

    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, _iterations, HashAlgorithmName.SHA256, HashSize);
        return $"${Scheme}$i={_iterations.ToString(CultureInfo.InvariantCulture)}${Encode(salt)}${Encode(hash)}";
    }

    public PasswordCheck Verify(string password, string? storedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (storedHash is null || !TryParse(storedHash, out var iterations, out var salt, out var expected))
        {
            var dummy = _dummy.Value;
            Derive(password, dummy.Salt, dummy.Iterations, dummy.Hash.Length);
            return PasswordCheck.Failed;
        }
        var actual = Derive(password, salt, iterations, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
            return PasswordCheck.Failed;
        return iterations < _iterations ? PasswordCheck.ValidNeedsRehash : PasswordCheck.Valid;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, length);

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = stored.Split('$');
        if (parts.Length != 5 || parts[0].Length != 0 || parts[1] != Scheme || !parts[2].StartsWith("i=", StringComparison.Ordinal)
            || !int.TryParse(parts[2].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1)
            return false;
        try
        {
            salt = Decode(parts[3]);
            hash = Decode(parts[4]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length > 0 && hash.Length > 0;
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] Decode(string text) => Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}

using System.Security.Cryptography;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Security;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Core.Tests;

public class SecurityTests
{
    [Fact]
    public void Protector_round_trips_and_binds_the_purpose()
    {
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var sealedValue = protector.Protect("top secret", "client-secret");
        Assert.DoesNotContain("top secret", sealedValue, StringComparison.Ordinal);
        Assert.NotEqual(sealedValue, protector.Protect("top secret", "client-secret")); // fresh nonce
        Assert.Equal("top secret", protector.Unprotect(sealedValue, "client-secret"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(sealedValue, "signing-key"));
    }

    [Fact]
    public void Protector_refuses_tampering_and_other_keys()
    {
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        using var other = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var sealedValue = protector.Protect("value", "p");
        var tampered = sealedValue[..^2] + (sealedValue[^2] == 'A' ? "B" : "A") + sealedValue[^1];
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(tampered, "p"));
        Assert.ThrowsAny<CryptographicException>(() => other.Unprotect(sealedValue, "p"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("garbage", "p"));
        Assert.Throws<ArgumentException>(() => new AesGcmSecretProtector(new byte[16]));
    }

    [Fact]
    public void Protector_is_safe_to_share_between_threads()
    {
        // One protector serves every request: a shared AesGcm instance fails or corrupts values under parallel use.
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var failures = 0;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            try
            {
                var value = "secret-" + i;
                if (protector.Unprotect(protector.Protect(value, "p"), "p") != value)
                    Interlocked.Increment(ref failures);
            }
            catch (CryptographicException)
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Secrets_compare_by_value()
    {
        Assert.True(Secrets.FixedTimeEquals("abc", "abc"));
        Assert.False(Secrets.FixedTimeEquals("abc", "abd"));
        Assert.False(Secrets.FixedTimeEquals("abc", null));
    }

    [Fact]
    public void Log_ids_sort_in_time_order_even_within_one_tick()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var ids = new LogIds(time);
        var sequence = Enumerable.Range(0, 50).Select(_ => ids.Next()).ToList();
        time.Advance(TimeSpan.FromMilliseconds(1));
        sequence.Add(ids.Next());
        Assert.Equal(sequence, sequence.Order(StringComparer.Ordinal));
        Assert.Equal(sequence.Count, sequence.Distinct().Count());
        Assert.All(sequence, id => Assert.Matches("^[0-9]{20}[0-9a-f]{8}$", id));
    }
}

using Gatehouse.Core.Security;

namespace Gatehouse.Core.Tests;

public class PasswordHasherTests
{
    [Fact]
    public void Hash_is_self_describing_pbkdf2_sha256_with_the_configured_iterations()
    {
        var hash = new Pbkdf2PasswordHasher(new PasswordHashingOptions { Iterations = 1234 }).Hash("secret");
        var parts = hash.Split('$');
        Assert.Equal(["", "pbkdf2-sha256", "i=1234"], parts[..3]);
        Assert.Equal(16, Convert.FromBase64String(parts[3] + "==").Length);
        Assert.Equal(32, Convert.FromBase64String(parts[4] + "=").Length);
    }

    [Fact]
    public void Default_iterations_follow_OWASP()
    {
        Assert.Equal(600_000, new PasswordHashingOptions().Iterations);
    }

    [Fact]
    public void Verify_accepts_the_password_and_refuses_others()
    {
        var hasher = new Pbkdf2PasswordHasher(new PasswordHashingOptions { Iterations = 1000 });
        var hash = hasher.Hash("correct horse");
        Assert.Equal(PasswordCheck.Valid, hasher.Verify("correct horse", hash));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("correct hors", hash));
        Assert.NotEqual(hash, hasher.Hash("correct horse")); // salted
    }

    [Fact]
    public void A_hash_with_fewer_iterations_still_verifies_and_asks_for_a_rehash()
    {
        var old = new Pbkdf2PasswordHasher(new PasswordHashingOptions { Iterations = 1000 }).Hash("pw");
        var raised = new Pbkdf2PasswordHasher(new PasswordHashingOptions { Iterations = 2000 });
        Assert.Equal(PasswordCheck.ValidNeedsRehash, raised.Verify("pw", old));
        Assert.Equal(PasswordCheck.Failed, raised.Verify("nope", old));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("$bcrypt$whatever")]
    [InlineData("$pbkdf2-sha256$i=x$a$b")]
    public void Missing_or_foreign_hashes_fail_without_throwing(string? stored)
    {
        var hasher = new Pbkdf2PasswordHasher(new PasswordHashingOptions { Iterations = 1000 });
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("pw", stored));
    }
}

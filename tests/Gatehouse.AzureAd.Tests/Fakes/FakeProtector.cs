using System.Security.Cryptography;
using Gatehouse.Core.Security;

namespace Gatehouse.AzureAd.Tests.Fakes;

/// <summary>Reversible, purpose-bound "encryption" that makes protected values recognisable in assertions.</summary>
public sealed class FakeProtector : ISecretProtector
{
    public string Protect(string plaintext, string purpose) => $"enc[{purpose}]:{plaintext}";

    public string Unprotect(string protectedValue, string purpose)
    {
        var prefix = $"enc[{purpose}]:";
        return protectedValue.StartsWith(prefix, StringComparison.Ordinal)
            ? protectedValue[prefix.Length..]
            : throw new CryptographicException("not protected for " + purpose);
    }
}

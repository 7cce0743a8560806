using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Connections;

/// <summary>
/// A password connection whose identity provider locks an account out after wrong passwords (Azure AD's smart
/// lockout). Attack protection counts those wrong passwords per upstream account, across every connection to the
/// same directory, and stops asking before the provider would lock the account (docs/security.md).
/// </summary>
public interface IUpstreamLockoutConnection : IPasswordConnection
{
    /// <summary>
    /// The names this connection knows for its directory, each the same text for every connection to it (Azure AD:
    /// the tenant id once known, and the tenant name lower-cased). Empty when the directory depends on the username
    /// (Azure AD's common endpoint). Answers from memory: never a network call.
    /// </summary>
    IReadOnlyList<string> UpstreamDirectories();

    /// <summary>The upstream account of a user this connection signed in (Azure AD: tenant id and object id), when known.</summary>
    UpstreamAccount? UpstreamAccountOf(User user);
}

/// <summary>An account at the identity provider: its directory (as in <see cref="IUpstreamLockoutConnection.UpstreamDirectories"/>) and its id there.</summary>
public sealed record UpstreamAccount(string Directory, string Id);

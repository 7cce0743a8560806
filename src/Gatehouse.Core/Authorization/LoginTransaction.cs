namespace Gatehouse.Core.Authorization;

/// <summary>
/// An <c>/authorize</c> request waiting for the user to sign in. Its <see cref="Id"/> is the opaque <c>state</c> of the
/// hosted login page URL (Auth0's <c>/u/login?state=…</c>); the login page and the federated callback finish it.
/// </summary>
public sealed record LoginTransaction(string Id, AuthorizationRequest Request, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// Set when the sign-in is for a device (the <c>/activate</c> page started it): completing it approves this device
    /// authorization (the SHA-256 of its device code) instead of answering an app's redirect URI.
    /// </summary>
    public string? DeviceCodeHash { get; init; }
}

/// <summary>Short-lived login transactions (expiring, bounded). In memory on one node; shared state when scaled out.</summary>
public interface ILoginTransactionStore
{
    Task SaveAsync(LoginTransaction transaction, CancellationToken ct);

    /// <summary>The transaction, or null when unknown or expired.</summary>
    Task<LoginTransaction?> FindAsync(string id, CancellationToken ct);

    /// <summary>Ends the transaction once it produced a code or an error; true for the one caller that ended it.</summary>
    Task<bool> RemoveAsync(string id, CancellationToken ct);
}

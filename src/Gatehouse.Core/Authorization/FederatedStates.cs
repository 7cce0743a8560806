namespace Gatehouse.Core.Authorization;

/// <summary>
/// What Gatehouse keeps server side while the browser is at a federated provider: the <c>state</c> it sent (the
/// key), the login transaction it belongs to, the connection, and the nonce and PKCE verifier the provider's answer
/// must match.
/// </summary>
/// <param name="BrowserBindingHash">
/// The hash of a random value kept in a cookie of the browser that left for the provider: the callback must come from
/// that browser, so an attacker cannot finish their own sign-in in a victim's browser (login CSRF, RFC 9700 §4.7).
/// </param>
public sealed record FederatedState(string State, string TransactionId, string ConnectionName, string Nonce, string CodeVerifier,
    string? LoginHint, string? Prompt, DateTimeOffset ExpiresAt, string BrowserBindingHash = "");

/// <summary>
/// Federated states: single use (taken once at <c>/login/callback</c>, on whichever node it lands), expiring. In memory
/// on one node (<see cref="FederatedStates"/>), in Redis for several.
/// </summary>
public interface IFederatedStateStore
{
    Task SaveAsync(FederatedState state, CancellationToken ct);

    /// <summary>The state, removed: a second callback with the same state finds nothing.</summary>
    Task<FederatedState?> TakeAsync(string state, CancellationToken ct);
}

/// <summary>Federated states in memory: single use (taken once at <c>/login/callback</c>), expiring, bounded.</summary>
public sealed class FederatedStates(AuthorizationOptions options, TimeProvider time) : IFederatedStateStore
{
    private readonly ExpiringMap<FederatedState> _states = new(options.MaxFederatedStates, time);

    public int Count => _states.Count;

    public Task SaveAsync(FederatedState state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        _states.Set(state.State, state, state.ExpiresAt);
        return Task.CompletedTask;
    }

    public Task<FederatedState?> TakeAsync(string state, CancellationToken ct) => Task.FromResult(_states.TryTake(state, out var found) ? found : null);
}

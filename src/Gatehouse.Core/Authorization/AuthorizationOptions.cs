namespace Gatehouse.Core.Authorization;

/// <summary>
/// Lifetimes and bounds of the browser sign-in state (configuration section <c>Authorization</c>). The state lives in
/// memory on one node; the bounds cap what a flood of <c>/authorize</c> requests can hold.
/// </summary>
public sealed class AuthorizationOptions
{
    public const string Section = "Authorization";

    /// <summary>An authorization code's lifetime: 60 s (FAPI's ceiling; RFC 6749 §4.1.2 recommends at most 10 minutes).</summary>
    public int CodeLifetimeSeconds { get; set; } = 60;

    /// <summary>How long a redeemed code is remembered, so that a replay is recognised and revokes what it issued.</summary>
    public int CodeReplayMemorySeconds { get; set; } = 600;

    /// <summary>How long the user has to sign in between <c>/authorize</c> and the answer to the app.</summary>
    public int TransactionLifetimeSeconds { get; set; } = 900;

    /// <summary>How long the browser may stay at a federated provider's page before <c>/login/callback</c>.</summary>
    public int FederatedStateLifetimeSeconds { get; set; } = 900;

    /// <summary>Login transactions held at once; the oldest is dropped beyond this.</summary>
    public int MaxTransactions { get; set; } = 10000;

    /// <summary>Codes (unredeemed and remembered) held at once.</summary>
    public int MaxCodes { get; set; } = 10000;

    /// <summary>Federated states held at once.</summary>
    public int MaxFederatedStates { get; set; } = 10000;

    /// <summary>Stops the start naming the key when a value makes no sense.</summary>
    public AuthorizationOptions Validated()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(CodeLifetimeSeconds), CodeLifetimeSeconds), (nameof(CodeReplayMemorySeconds), CodeReplayMemorySeconds),
            (nameof(TransactionLifetimeSeconds), TransactionLifetimeSeconds), (nameof(FederatedStateLifetimeSeconds), FederatedStateLifetimeSeconds),
            (nameof(MaxTransactions), MaxTransactions), (nameof(MaxCodes), MaxCodes), (nameof(MaxFederatedStates), MaxFederatedStates),
        })
        {
            if (value < 1)
                throw new InvalidOperationException($"{Section}:{name} must be at least 1.");
        }
        return this;
    }
}

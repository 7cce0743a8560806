namespace Gatehouse.Core.Storage;

/// <summary>
/// The store of state several nodes share (Redis: counters, rate limits, codes, login transactions) did not answer in
/// time. The server answers 503 <c>temporarily_unavailable</c>; attack protection fails open or closed by its setting
/// (<see cref="Protection.AttackCountersWhenDown"/>). The message names the operation, never a key or a value.
/// </summary>
public sealed class SharedStateUnavailableException : Exception
{
    public SharedStateUnavailableException() : base("The shared state store is unavailable.") { }

    public SharedStateUnavailableException(string message) : base(message) { }

    public SharedStateUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}

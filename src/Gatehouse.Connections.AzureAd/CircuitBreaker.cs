namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// Per-connection circuit: after <c>threshold</c> consecutive infrastructure failures (or a throttling answer that
/// names a Retry-After) logins fail fast for the open period instead of queueing on a dead upstream. When the period
/// ends one trial login goes through (half-open); its success closes the circuit, its failure reopens it.
/// Any answer from Azure AD, including a refusal, counts as success: the upstream is up.
/// </summary>
internal sealed class CircuitBreaker(int threshold, TimeSpan openFor, TimeProvider time)
{
    public static readonly TimeSpan MaxUpstreamRetryAfter = TimeSpan.FromMinutes(10);

    private readonly Lock gate = new();
    private int failures;
    private DateTimeOffset? openUntil;
    private bool trialInFlight;

    /// <summary>Null when a request may go upstream; otherwise how long until the circuit lets one through.</summary>
    public TimeSpan? TryEnter()
    {
        lock (gate)
        {
            if (openUntil is not { } until)
            {
                return null;
            }

            var now = time.GetUtcNow();
            if (now < until)
            {
                return until - now;
            }

            if (trialInFlight)
            {
                return TimeSpan.FromSeconds(1);
            }

            trialInFlight = true;
            return null;
        }
    }

    public void Success()
    {
        lock (gate)
        {
            failures = 0;
            openUntil = null;
            trialInFlight = false;
        }
    }

    /// <summary>The request was cancelled by its caller: it says nothing about the upstream.</summary>
    public void Release()
    {
        lock (gate)
        {
            trialInFlight = false;
        }
    }

    /// <param name="upstreamRetryAfter">The upstream's own Retry-After (429/503), which opens the circuit at once.</param>
    public void Failure(TimeSpan? upstreamRetryAfter)
    {
        lock (gate)
        {
            failures++;
            var wasTrial = trialInFlight;
            trialInFlight = false;
            var now = time.GetUtcNow();
            if (upstreamRetryAfter is { } wait && wait > TimeSpan.Zero)
            {
                var capped = wait > MaxUpstreamRetryAfter ? MaxUpstreamRetryAfter : wait;
                var until = now + (failures >= threshold && openFor > capped ? openFor : capped);
                openUntil = openUntil is { } current && current > until ? current : until;
            }
            else if (failures >= threshold || wasTrial)
            {
                openUntil = now + openFor;
            }
        }
    }

    /// <summary>For tests and diagnostics.</summary>
    public bool IsOpen
    {
        get
        {
            lock (gate)
            {
                return openUntil is { } until && time.GetUtcNow() < until;
            }
        }
    }
}

/// <summary>How the app registration authenticates, learned from Azure's answers (see docs/waad.md, client secret rule).</summary>
internal enum ClientAuthMode
{
    Unknown,
    Public,
    Confidential,
}

/// <summary>What a connection (id, version) remembers between logins.</summary>
internal sealed class WaadConnectionState(CircuitBreaker breaker)
{
    private int clientAuth;

    public CircuitBreaker Breaker { get; } = breaker;

    public ClientAuthMode ClientAuth
    {
        get => (ClientAuthMode)Volatile.Read(ref clientAuth);
        set => Volatile.Write(ref clientAuth, (int)value);
    }
}

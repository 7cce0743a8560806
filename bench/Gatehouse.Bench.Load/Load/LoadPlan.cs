namespace Gatehouse.Bench.Load.Load;

/// <summary>
/// How to drive one scenario. Closed model (<see cref="RatePerSecond"/> null): <see cref="Concurrency"/> workers
/// each send the next request when the last one answers. Open model: requests start at a fixed rate whatever the
/// answers do, at most <see cref="Concurrency"/> in flight, and latency counts from the planned start (so a stall
/// is not hidden: no coordinated omission). Both stop at <see cref="Duration"/> or <see cref="MaxRequests"/>,
/// whichever comes first; the warm-up runs the same load first and is not recorded.
/// </summary>
public sealed record LoadPlan(int Concurrency, TimeSpan WarmUp, TimeSpan Duration, long MaxRequests, double? RatePerSecond = null)
{
    public string Describe() => RatePerSecond is { } rate
        ? $"fixed rate {rate:F0}/s (≤{Concurrency} in flight), {Duration.TotalSeconds:F0} s after {WarmUp.TotalSeconds:F0} s warm-up"
        : $"{Concurrency} concurrent, {Duration.TotalSeconds:F0} s after {WarmUp.TotalSeconds:F0} s warm-up";
}

/// <summary>One request of a scenario: null when it succeeded, otherwise a short reason (status code, error).</summary>
public delegate Task<string?> Operation(HttpClient http, CancellationToken ct);

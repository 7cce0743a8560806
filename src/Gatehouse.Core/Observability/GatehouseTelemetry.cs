using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gatehouse.Core.Observability;

/// <summary>
/// The one ActivitySource and Meter of Gatehouse (both named <see cref="Name"/>). Without a listener, starting an
/// activity returns null and recording a measurement returns at once, so a host that exports nothing pays almost
/// nothing. Labels are bounded and never secret: grant type, outcome, error code, a connection that exists, an
/// upstream operation name, an HTTP status, an AADSTS number. Never a user, client id, IP or token.
/// </summary>
public static class GatehouseTelemetry
{
    public const string Name = "Gatehouse";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Seconds: a login takes from under a millisecond (cached database user) to the upstream's time-outs.</summary>
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    };

    /// <summary>Token endpoint requests by grant type, connection (one that exists, else empty), outcome and error code.</summary>
    public static readonly Counter<long> TokenRequests = Meter.CreateCounter<long>(
        "gatehouse.token.requests", "{request}", "Token endpoint requests by grant type, connection and outcome.");

    public static readonly Histogram<double> TokenDuration = Meter.CreateHistogram(
        "gatehouse.token.duration", "s", "Time to answer a token endpoint request.", tags: null, advice: Seconds);

    public static readonly Histogram<double> UpstreamDuration = Meter.CreateHistogram(
        "gatehouse.upstream.duration", "s", "Time of one upstream HTTP call (Azure AD token, discovery, keys, Graph).", tags: null, advice: Seconds);

    /// <summary>AADSTS codes in upstream error answers: the first thing to look at when Azure AD refuses logins.</summary>
    public static readonly Counter<long> UpstreamErrorCodes = Meter.CreateCounter<long>(
        "gatehouse.upstream.aadsts", "{answer}", "Azure AD error answers by AADSTS code.");

    public static readonly Histogram<double> StoreDuration = Meter.CreateHistogram(
        "gatehouse.store.duration", "s", "Time of one store (database) command.", tags: null, advice: Seconds);

    /// <summary>Seconds since a <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public static double SecondsSince(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
}

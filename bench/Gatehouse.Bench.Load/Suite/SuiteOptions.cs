using System.Globalization;

namespace Gatehouse.Bench.Load.Suite;

/// <summary>What bench/run asked for. <see cref="Quick"/> is the seconds-long smoke run (every scenario, tiny sizes).</summary>
public sealed record SuiteOptions
{
    public required string Root { get; init; }
    public required string OutDir { get; init; }
    public required string WorkDir { get; init; }
    public bool Quick { get; init; }
    public string? PostgresConnectionString { get; init; }
    public IReadOnlyList<int> GrowthUsers { get; init; } = [1_000, 1_000_000];
    public IReadOnlyList<int> GrowthConnections { get; init; } = [1, 1_000];
    public IReadOnlyList<int> GrowthGroups { get; init; } = [10, 1_000];
    public bool SkipGrowth { get; init; }
    public bool SkipPeer { get; init; }
    /// <summary>Only the federated comparison (for profiling): no other endpoints, no slow upstream, no growth.</summary>
    public bool MainOnly { get; init; }
    /// <summary>With <see cref="MainOnly"/>: the slow-upstream run too (an A/B of what bounds it).</summary>
    public bool WithSlowUpstream { get; init; }
    public int LatencyConcurrency { get; init; } = 2_000;
    public int UpstreamLatencyMs { get; init; } = 200;
    public int Concurrency { get; init; } = 32;
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// The warm-up before the first measurement of each server process: long enough for tiered JIT to finish on two
    /// busy cores (with 5 s the first measurement still paid for recompiling hot methods; docs/benchmarks.md).
    /// </summary>
    public TimeSpan ProcessWarmUp { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan GrowthDuration { get; init; } = TimeSpan.FromSeconds(10);
    public string Note { get; init; } = "";

    public static SuiteOptions Parse(string[] args, string root)
    {
        ArgumentNullException.ThrowIfNull(args);
        var quick = args.Contains("--quick");
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd-HHmm", CultureInfo.InvariantCulture);
        var options = new SuiteOptions
        {
            Root = root,
            OutDir = Path.Combine(root, "bench/results"),
            WorkDir = Path.Combine(Path.GetTempPath(), "gatehouse-bench-" + stamp + "-" + Environment.ProcessId),
            Quick = quick,
        };
        if (quick)
        {
            options = options with
            {
                GrowthUsers = [1_000, 2_000],
                GrowthConnections = [1, 10],
                GrowthGroups = [10, 20],
                LatencyConcurrency = 50,
                UpstreamLatencyMs = 50,
                Concurrency = 8,
                WarmUp = TimeSpan.FromSeconds(0.3),
                ProcessWarmUp = TimeSpan.FromSeconds(0.3),
                Duration = TimeSpan.FromSeconds(1),
                GrowthDuration = TimeSpan.FromSeconds(0.5),
            };
        }
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick": break;
                case "--out": options = options with { OutDir = Path.GetFullPath(Next()) }; break;
                case "--work": options = options with { WorkDir = Path.GetFullPath(Next()) }; break;
                case "--postgres": options = options with { PostgresConnectionString = Next() }; break;
                case "--users": options = options with { GrowthUsers = Ints(Next()) }; break;
                case "--connections": options = options with { GrowthConnections = Ints(Next()) }; break;
                case "--groups": options = options with { GrowthGroups = Ints(Next()) }; break;
                case "--no-growth": options = options with { SkipGrowth = true }; break;
                case "--no-peer": options = options with { SkipPeer = true }; break;
                case "--main-only": options = options with { MainOnly = true, SkipGrowth = true }; break;
                case "--slow-upstream": options = options with { WithSlowUpstream = true }; break;
                case "--concurrency": options = options with { Concurrency = Ints(Next())[0] }; break;
                case "--seconds": options = options with { Duration = TimeSpan.FromSeconds(Ints(Next())[0]) }; break;
                case "--warmup": options = options with { WarmUp = TimeSpan.FromSeconds(Ints(Next())[0]) }; break;
                case "--process-warmup": options = options with { ProcessWarmUp = TimeSpan.FromSeconds(Ints(Next())[0]) }; break;
                case "--growth-seconds": options = options with { GrowthDuration = TimeSpan.FromSeconds(Ints(Next())[0]) }; break;
                case "--latency-concurrency": options = options with { LatencyConcurrency = Ints(Next())[0] }; break;
                case "--note": options = options with { Note = Next() }; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return options;
    }

    /// <summary>"1000,1000000" or "1k,1m".</summary>
    private static int[] Ints(string value) => [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v =>
    {
        var lower = v.ToLowerInvariant().Replace("_", "", StringComparison.Ordinal);
        var factor = lower.EndsWith('m') ? 1_000_000 : lower.EndsWith('k') ? 1_000 : 1;
        var digits = factor == 1 ? lower : lower[..^1];
        return checked(int.Parse(digits, CultureInfo.InvariantCulture) * factor);
    })];
}

using System.Globalization;
using Gatehouse.Bench.Load.Hosts;
using Gatehouse.Bench.Load.Measure;
using Gatehouse.Bench.Load.Report;
using Gatehouse.Bench.Load.Suite;

namespace Gatehouse.Bench.Load;

/// <summary>
/// bench/run calls this after building Release: runs the suite and writes bench/results/&lt;date-time&gt;.md and .svg.
/// usage: Gatehouse.Bench.Load --root REPO [--quick] [--out DIR] [--postgres CONNSTR] [--users 1k,1m] [--connections 1,1000]
///        [--groups 10,1000] [--no-growth] [--no-peer] [--concurrency N] [--seconds N] [--warmup N] [--note TEXT]
///        Gatehouse.Bench.Load --root REPO --cluster-env FILE [--quick] [--out DIR] [--concurrency N] [--seconds N] [--warmup N]
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var rootAt = Array.IndexOf(args, "--root");
        if (rootAt < 0 || rootAt + 1 >= args.Length)
        {
            await Console.Error.WriteLineAsync("usage: Gatehouse.Bench.Load --root REPO [options] (see bench/run --help)");
            return 64;
        }
        var root = Path.GetFullPath(args[rootAt + 1]);
        if (Value(args, "--cluster-env") is { } clusterEnv)
        {
            // bench/run --cluster: one node against the cluster of scripts/cluster, instead of the suite.
            var quick = args.Contains("--quick");
            return await ClusterRun.RunAsync(clusterEnv, Value(args, "--out") ?? Path.Combine(root, "bench", "results"),
                int.Parse(Value(args, "--concurrency") ?? "16", CultureInfo.InvariantCulture),
                TimeSpan.FromSeconds(double.Parse(Value(args, "--seconds") ?? (quick ? "2" : "20"), CultureInfo.InvariantCulture)),
                TimeSpan.FromSeconds(double.Parse(Value(args, "--warmup") ?? (quick ? "1" : "5"), CultureInfo.InvariantCulture)),
                Console.Out);
        }
        SuiteOptions options;
        try
        {
            options = SuiteOptions.Parse([.. args.Where((_, i) => i != rootAt && i != rootAt + 1)], root);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 64;
        }

        var results = await new SuiteRunner(options, BenchPaths.FromRepo(root), Console.Out).RunAsync();
        Directory.CreateDirectory(options.OutDir);
        var stamp = results.Started.ToString("yyyy-MM-dd-HHmm", CultureInfo.InvariantCulture) + (options.Quick ? "-quick" : "");
        var chart = stamp + ".svg";
        await File.WriteAllTextAsync(Path.Combine(options.OutDir, chart), SvgChart.Write(results));
        var md = Path.Combine(options.OutDir, stamp + ".md");
        await File.WriteAllTextAsync(md, MarkdownReport.Write(results, chart, Machine.Describe()));
        Console.WriteLine($"results: {md}");
        var errors = results.Rows.Sum(r => r.Result.Errors);
        var empty = results.Rows.Count(r => r.Result.Ok == 0);
        Console.WriteLine($"{results.Rows.Count} scenarios measured, {empty} with no successful request, {errors} errors in all");
        if (empty == 0)
            Directory.Delete(options.WorkDir, recursive: true); // server logs and data stay behind only when something failed
        else
            Console.WriteLine($"server logs and data kept in {options.WorkDir}");
        return empty == 0 ? 0 : 1;
    }

    private static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}

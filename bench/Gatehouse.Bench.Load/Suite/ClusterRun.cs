using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Gatehouse.Bench.Load.Load;
using Gatehouse.Bench.Load.Measure;
using Npgsql;

namespace Gatehouse.Bench.Load.Suite;

/// <summary>
/// bench/run --cluster: the same waad login (AdeleV through the emulator, as in the main suite) measured on one node
/// alone (PostgreSQL, in-memory counters: the single-node figure) and on the cluster of scripts/cluster (three nodes
/// behind haproxy, Redis for the shared state). For each: logins per second, logins per CPU-second of every process
/// the deployment needs (Gatehouse, plus haproxy and Redis for the cluster, plus PostgreSQL for both; the emulator and
/// this load generator are left out), and PostgreSQL's transactions (every statement outside a transaction is one, reads
/// included) and rows inserted, updated or deleted per login (pg_stat_database).
/// </summary>
internal static class ClusterRun
{
    private sealed record Deployment(string Name, Uri Url, IReadOnlyList<int> Pids);

    private sealed record Figures(Deployment Deployment, LoadResult Result, double CpuSeconds, double Commits, double RowsWritten)
    {
        public double LoginsPerCpuSecond => CpuSeconds > 0 ? Result.Ok / CpuSeconds : 0;
    }

    public static async Task<int> RunAsync(string envFile, string outDir, int concurrency, TimeSpan duration, TimeSpan warmUp, TextWriter output)
    {
        var env = ReadEnv(envFile);
        var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(env["GATEHOUSE_CLUSTER_CA"]));
        var demo = JsonDocument.Parse(await File.ReadAllTextAsync(env["GATEHOUSE_CLUSTER_DEMO"])).RootElement;
        var postgres = env["GATEHOUSE_CLUSTER_POSTGRES"];
        var postgresPid = PostmasterPid(env["GATEHOUSE_CLUSTER_POSTGRES_DIR"]);
        var single = new Deployment("one node (in-memory counters)",
            new Uri($"https://127.0.0.1:{env["GATEHOUSE_CLUSTER_SINGLE_PORT"]}/"), [int.Parse(env["GATEHOUSE_CLUSTER_SINGLE_PID"], CultureInfo.InvariantCulture)]);
        var nodes = env["GATEHOUSE_CLUSTER_NODE_PIDS"].Split(' ').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        var cluster = new Deployment($"{nodes.Count} nodes + haproxy + Redis", new Uri(env["GATEHOUSE_CLUSTER_URL"]),
            [.. nodes, int.Parse(env["GATEHOUSE_CLUSTER_HAPROXY_PID"], CultureInfo.InvariantCulture), int.Parse(env["GATEHOUSE_CLUSTER_REDIS_PID"], CultureInfo.InvariantCulture)]);

        var login = Operations.PostForm("oauth/token",
        [
            new("grant_type", "http://auth0.com/oauth/grant-type/password-realm"),
            new("client_id", demo.GetProperty("native_client_id").GetString()!),
            new("username", "AdeleV@contoso.com"),
            new("password", "P@ssw0rd-adelev"),
            new("realm", "contoso-native"),
            new("scope", "openid"),
        ]);
        var plan = new LoadPlan(concurrency, warmUp, duration, long.MaxValue);
        var figures = new List<Figures>();
        foreach (var deployment in new[] { single, cluster })
        {
            await output.WriteLineAsync($"== {deployment.Name}: {plan.Describe()}");
            using var http = Client(deployment.Url, concurrency, ca);
            var meters = deployment.Pids.Select(p => new ProcessMeter(p)).ToList();
            double postgresAtStart = 0;
            (long Commits, long Rows) statsAtStart = default;
            var result = await LoadGenerator.RunAsync(http, login, plan, () =>
            {
                meters.ForEach(m => m.Start());
                postgresAtStart = TreeCpuSeconds(postgresPid);
                statsAtStart = Stats(postgres);
            });
            var cpu = meters.Sum(m => m.CpuSecondsSinceStart) + TreeCpuSeconds(postgresPid) - postgresAtStart;
            await Task.Delay(TimeSpan.FromSeconds(2)); // PostgreSQL flushes its statistics about once a second
            var stats = Stats(postgres);
            var ok = Math.Max(1, result.Ok);
            figures.Add(new Figures(deployment, result, cpu, (stats.Commits - statsAtStart.Commits) / (double)ok, (stats.Rows - statsAtStart.Rows) / (double)ok));
            await output.WriteLineAsync($"   {result.Ok} logins, {result.Errors} errors {result.TopError}");
        }

        var report = Report(figures, plan);
        await output.WriteLineAsync(report);
        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, DateTimeOffset.UtcNow.ToString("yyyy-MM-dd-HHmm", CultureInfo.InvariantCulture) + "-cluster.md");
        await File.WriteAllTextAsync(file, report);
        await output.WriteLineAsync($"results: {file}");
        return figures.All(f => f.Result.Ok > 0) ? 0 : 1;
    }

    private static string Report(List<Figures> figures, LoadPlan plan)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Cluster bench ({plan.Describe()})");
        text.AppendLine();
        text.AppendLine("Waad password-realm logins (AdeleV through the emulator). CPU: every process of the deployment, PostgreSQL included; not the emulator or the load generator.");
        text.AppendLine();
        text.AppendLine("| deployment | logins/s | p50 ms | p99 ms | errors | CPU ms per login | logins per CPU-second | PostgreSQL transactions per login (reads included) | rows written per login |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {f.Deployment.Name} | {f.Result.PerSecond:F0} | {f.Result.PercentileMs(50):F1} | {f.Result.PercentileMs(99):F1} | {f.Result.Errors} | {1000 * f.CpuSeconds / Math.Max(1, f.Result.Ok):F2} | {f.LoginsPerCpuSecond:F0} | {f.Commits:F2} | {f.RowsWritten:F2} |");
        }
        if (figures is [var one, var many] && one.LoginsPerCpuSecond > 0 && many.LoginsPerCpuSecond > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"CPU per login, cluster against one node: {100 * (one.LoginsPerCpuSecond / many.LoginsPerCpuSecond - 1):+0;-0}% (target: at most +10%).");
        }
        return text.ToString();
    }

    private static HttpClient Client(Uri url, int connections, X509Certificate2 ca)
    {
        if (!BenchHttp.IsLoopback(url))
            throw new ArgumentException($"benchmarks run on loopback only, not {url}");
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, connections),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = new SslClientAuthenticationOptions
            {
                // The cluster's dev CA, trusted for this client only.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                        return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>CPU seconds of a process and its children now alive (PostgreSQL's backends are children of the postmaster).</summary>
    private static double TreeCpuSeconds(int root)
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (pid == root || parent == root)
                    total += new ProcessMeter(pid).CpuSeconds();
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }
        return total;
    }

    private static (long Commits, long Rows) Stats(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = current_database()", connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static int PostmasterPid(string dataDir) =>
        int.Parse(File.ReadLines(Path.Combine(dataDir, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    private static Dictionary<string, string> ReadEnv(string file) =>
        File.ReadLines(file)
            .Select(line => line.StartsWith("export ", StringComparison.Ordinal) ? line[7..] : line)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim('\''));
}

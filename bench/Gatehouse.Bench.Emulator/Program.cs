using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gatehouse.AzureAd.Emulator;

namespace Gatehouse.Bench.Emulator;

/// <summary>
/// Starts the emulator executable pinned to CPU 0, drives v1 ROPC logins of one user from this process
/// (pinned to the other CPUs) over loopback HTTP at fixed concurrency for a bounded time, prints logins/s.
/// usage: dotnet run -c Release --project bench/Gatehouse.Bench.Emulator -- [--seconds 10] [--concurrency 32]
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var seconds = IntArg(args, "--seconds", 10);
        var concurrency = IntArg(args, "--concurrency", 32);
        var port = FreePort();
        using var emulator = StartEmulator(port);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
                Timeout = TimeSpan.FromSeconds(10),
            };
            await WaitUntilUpAsync(http);
            await RunAsync(http, concurrency, TimeSpan.FromSeconds(2)); // warm-up: JIT, connections, token cache
            var (ok, failed, elapsed) = await RunAsync(http, concurrency, TimeSpan.FromSeconds(seconds));
            var rate = ok / elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"emulator (1 core): {rate:F0} logins/s  ok={ok} failed={failed} concurrency={concurrency} seconds={elapsed.TotalSeconds:F1}"));
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            emulator.Kill();
            await emulator.WaitForExitAsync();
        }
    }

    private static Process StartEmulator(int port)
    {
        var path = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Gatehouse.AzureAdEmulator.exe" : "Gatehouse.AzureAdEmulator");
        var start = new ProcessStartInfo(path, ["--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the emulator");
        if (Environment.ProcessorCount > 1 && (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()))
        {
            process.ProcessorAffinity = 1; // the emulator gets CPU 0 alone
            var rest = ((1L << Math.Min(Environment.ProcessorCount, 63)) - 1) & ~1L;
            Process.GetCurrentProcess().ProcessorAffinity = (nint)rest;
        }
        return process;
    }

    private static async Task<(long Ok, long Failed, TimeSpan Elapsed)> RunAsync(HttpClient http, int concurrency, TimeSpan duration)
    {
        long ok = 0, failed = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                using var body = new FormUrlEncodedContent(Form);
                using var response = await http.PostAsync($"{DemoDirectory.TenantDomain}/oauth2/token", body);
                await response.Content.CopyToAsync(Stream.Null);
                if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref ok);
                else Interlocked.Increment(ref failed);
            }
        });
        await Task.WhenAll(workers);
        return (ok, failed, watch.Elapsed);
    }

    private static readonly KeyValuePair<string, string>[] Form =
    [
        new("grant_type", "password"),
        new("client_id", DemoDirectory.NativeAppId),
        new("resource", DemoDirectory.WebApiAppIdUri),
        new("username", DemoDirectory.Adele),
        new("password", DemoDirectory.PasswordOf(DemoDirectory.Adele)),
        new("scope", "openid"),
    ];

    private static async Task WaitUntilUpAsync(HttpClient http)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var r = await http.GetAsync("common/discovery/keys");
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("the emulator did not start");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
    }
}

using System.Text.Json.Nodes;
using Gatehouse.AzureAd.Emulator;

namespace Gatehouse.Bench.Load.Hosts;

/// <summary>
/// The Azure AD emulator as its own process over plain HTTP on loopback (Gatehouse and the peer both call it the
/// same way), optionally with a seed file (extra users and groups for the growth runs).
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    /// <summary>The demo tenant and app registrations of the emulator's default seed.</summary>
    public const string Tenant = DemoDirectory.TenantDomain;
    public const string NativeAppId = DemoDirectory.NativeAppId;
    public const string WebApiAppIdUri = DemoDirectory.WebApiAppIdUri;
    public const string User = DemoDirectory.Adele;

    public static string PasswordOf(string upn) => DemoDirectory.PasswordOf(upn);

    private EmulatorHost(ManagedProcess process, Uri baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
    }

    public ManagedProcess Process { get; }

    public Uri BaseUrl { get; }

    public static async Task<EmulatorHost> StartAsync(BenchPaths paths, string logDir, string name = "emulator", string? seedPath = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var port = ManagedProcess.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        List<string> args = ["--urls", url.ToString().TrimEnd('/')];
        if (seedPath is not null)
            args.AddRange(["--seed", seedPath]);
        var env = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Warning",
            // The emulator shares the cores with the server under test: no spinning idle workers and a fixed server
            // GC (no DATAS heap tuning). Their effect was not measured on its own; they stay so runs compare with
            // the 2026-11-29 06:46 one, which had them.
            ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0",
            ["DOTNET_GCDynamicAdaptationMode"] = "0",
        };
        var process = ManagedProcess.Start(name, paths.Emulator, args, env, logDir);
        await process.WaitUntilAnswersAsync(new Uri(url, "common/discovery/keys"), TimeSpan.FromSeconds(60));
        return new EmulatorHost(process, url);
    }

    /// <summary>Adds (or, with 0, removes) a fixed latency on both token endpoints.</summary>
    public async Task SetTokenLatencyAsync(int milliseconds)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl };
        await JsonHttp.SendAsync(http, HttpMethod.Delete, "_emulator/faults", null);
        if (milliseconds > 0)
            await JsonHttp.SendAsync(http, HttpMethod.Post, "_emulator/faults", new JsonObject { ["route"] = "token", ["kind"] = "latency", ["delayMs"] = milliseconds }.ToJsonString());
    }

    /// <summary>The password grant exactly as a waad connection with app_id = the Web API's App ID URI sends it (v2).</summary>
    public static KeyValuePair<string, string>[] PasswordForm(string user, string password) =>
    [
        new("grant_type", "password"),
        new("client_id", NativeAppId),
        new("scope", $"openid profile offline_access email {WebApiAppIdUri}/.default"),
        new("username", user),
        new("password", password),
    ];

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

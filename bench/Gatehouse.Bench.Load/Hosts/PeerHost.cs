namespace Gatehouse.Bench.Load.Hosts;

/// <summary>The OpenIddict peer (bench/peers/OpenIddictPeer, Release) as its own process, calling the same emulator.</summary>
public sealed class PeerHost : IAsyncDisposable
{
    public const string ClientId = "peer-native";

    private PeerHost(ManagedProcess process, Uri baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
    }

    public ManagedProcess Process { get; }

    public Uri BaseUrl { get; }

    public static async Task<PeerHost> StartAsync(BenchPaths paths, EmulatorHost emulator, string workDir)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(emulator);
        var port = ManagedProcess.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var dataDir = Path.Combine(workDir, "peer-data");
        var process = ManagedProcess.Start("openiddict-peer", paths.Peer,
            ["--urls", url.ToString().TrimEnd('/'), "--upstream", emulator.BaseUrl.ToString(), "--data-dir", dataDir],
            new Dictionary<string, string>(), workDir);
        await process.WaitUntilAnswersAsync(new Uri(url, "health"), TimeSpan.FromSeconds(90));
        return new PeerHost(process, url);
    }

    /// <summary>The standard password grant with the same user and scopes (OpenIddict refuses Auth0's audience parameter; the peer sets the same audience itself).</summary>
    public static KeyValuePair<string, string>[] PasswordForm(string user, string password) =>
    [
        new("grant_type", "password"),
        new("client_id", ClientId),
        new("username", user),
        new("password", password),
        new("scope", "openid profile email"),
    ];

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

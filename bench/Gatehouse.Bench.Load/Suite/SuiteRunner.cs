using System.Text.Json.Nodes;
using Gatehouse.Bench.Load.Hosts;
using Gatehouse.Bench.Load.Load;
using Gatehouse.Bench.Load.Measure;

namespace Gatehouse.Bench.Load.Suite;

/// <summary>Everything the results file reports, measured in one run.</summary>
public sealed record SuiteResults(SuiteOptions Options, FloorResult Floor, IReadOnlyList<Measurement> Rows, IReadOnlyList<string> Notes,
    DateTimeOffset Started, DateTimeOffset Finished);

/// <summary>
/// The whole suite: the floor, the upstream alone, the peer and Gatehouse on the same scenarios, the 200 ms upstream
/// run, then the growth runs. Every server is its own process; the load comes from this process over loopback.
/// </summary>
public sealed class SuiteRunner(SuiteOptions options, BenchPaths paths, TextWriter progress)
{
    public const string Main = "Federated login, instant upstream";
    public const string Latency = "Federated login, slow upstream";
    public const string Other = "Other endpoints (Gatehouse)";
    public const string Growth = "Growth (Gatehouse, federated login)";
    public const string Floor = "floor";
    public const string Upstream = "upstream alone (emulator)";
    public const string Peer = "OpenIddict peer";
    public const string Gatehouse = "Gatehouse";
    public const string PeakScenario = "peak (closed loop)";
    public const string HalfScenario = "half of peak (fixed rate)";
    public const string BrowserScenario = "database-user browser login (authorize, login page, code exchange; PBKDF2 600k)";

    private readonly List<Measurement> _rows = [];
    private readonly List<string> _notes = [];

    public async Task<SuiteResults> RunAsync()
    {
        var started = DateTimeOffset.UtcNow;
        Directory.CreateDirectory(options.WorkDir);
        var meter = new Meter(_rows, progress);

        await progress.WriteLineAsync("floor: RSA-2048 signatures");
        var floorDuration = options.Quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(3);
        var floor = SignatureFloor.Measure(floorDuration);

        var seed = BenchSeed.Write(Path.Combine(options.WorkDir, "emulator-seed.json"), options.SkipGrowth ? [] : options.GrowthGroups);
        await using var emulator = await EmulatorHost.StartAsync(paths, options.WorkDir, seedPath: seed);
        var emulatorMeter = new ProcessMeter(emulator.Process.Pid);
        var plan = new LoadPlan(options.Concurrency, options.WarmUp, options.Duration, long.MaxValue);
        // The first measurement of each server process warms up until tiered compilation is done.
        var firstPlan = plan with { WarmUp = options.ProcessWarmUp };
        var users = BenchSeed.PlainUsers;

        await progress.WriteLineAsync("upstream alone");
        await meter.RunAsync(Main, Upstream, PeakScenario, emulator.BaseUrl,
            Operations.PostForms($"{EmulatorHost.Tenant}/oauth2/v2.0/token", [.. users.Select(u => EmulatorHost.PasswordForm(u, EmulatorHost.PasswordOf(u)))]),
            firstPlan, emulatorMeter);

        if (!options.SkipPeer)
        {
            await using var peer = await PeerHost.StartAsync(paths, emulator, options.WorkDir);
            var peerMeter = new ProcessMeter(peer.Process.Pid);
            var peerLogin = Operations.PostForms("connect/token", [.. users.Select(u => PeerHost.PasswordForm(u, EmulatorHost.PasswordOf(u)))], "\"id_token\"");
            await progress.WriteLineAsync("OpenIddict peer: federated login");
            var peerPeak = await meter.RunAsync(Main, Peer, PeakScenario, peer.BaseUrl, peerLogin, firstPlan, peerMeter, emulatorMeter);
            await meter.RunAsync(Main, Peer, HalfScenario, peer.BaseUrl, peerLogin,
                plan with { RatePerSecond = Math.Max(1, peerPeak.Result.PerSecond / 2), Concurrency = 256 }, peerMeter, emulatorMeter, timeline: true);
        }

        await using var gatehouse = await GatehouseHost.StartAsync(paths, emulator, StoreChoice.Sqlite, options.WorkDir, "gatehouse");
        var ghMeter = new ProcessMeter(gatehouse.Process.Pid);
        var setup = gatehouse.Setup;
        var federated = FederatedLogins(setup.NativeClientId, setup.WaadRealm, users);

        await progress.WriteLineAsync("Gatehouse: federated login");
        var peak = await meter.RunAsync(Main, Gatehouse, PeakScenario, gatehouse.BaseUrl, federated, firstPlan, ghMeter, emulatorMeter);
        await meter.RunAsync(Main, Gatehouse, HalfScenario, gatehouse.BaseUrl, federated,
            plan with { RatePerSecond = Math.Max(1, peak.Result.PerSecond / 2), Concurrency = 256 }, ghMeter, emulatorMeter, timeline: true);

        // Again after the federated comparison, so its ratios use the machine's speed over the same minutes.
        await progress.WriteLineAsync("floor: RSA-2048 signatures, again");
        floor = FloorResult.Mean(floor, SignatureFloor.Measure(floorDuration));

        if (options.MainOnly && !options.WithSlowUpstream)
            return new SuiteResults(options, floor, _rows, _notes, started, DateTimeOffset.UtcNow);
        if (!options.MainOnly)
            await RunOtherScenariosAsync(meter, gatehouse, ghMeter, EmulatorHost.PasswordOf(EmulatorHost.User));

        await progress.WriteLineAsync($"slow upstream: {options.UpstreamLatencyMs} ms, {options.LatencyConcurrency} concurrent");
        await emulator.SetTokenLatencyAsync(options.UpstreamLatencyMs);
        var slowPlan = new LoadPlan(options.LatencyConcurrency, options.WarmUp, options.Duration, long.MaxValue);
        await meter.RunAsync(Latency, Gatehouse, $"{options.LatencyConcurrency} concurrent, {options.UpstreamLatencyMs} ms upstream",
            gatehouse.BaseUrl, federated, slowPlan, ghMeter, emulatorMeter);
        await emulator.SetTokenLatencyAsync(0);

        if (!options.SkipGrowth)
        {
            // The main Gatehouse stops first, so the growth runs do not share the cores with an idle server.
            await gatehouse.DisposeAsync();
            await new GrowthRunner(options, paths, meter, emulator, emulatorMeter, _notes, progress).RunAsync();
        }

        return new SuiteResults(options, floor, _rows, _notes, started, DateTimeOffset.UtcNow);
    }

    private async Task RunOtherScenariosAsync(Meter meter, GatehouseHost gatehouse, ProcessMeter ghMeter, string password)
    {
        var s = gatehouse.Setup;
        var url = gatehouse.BaseUrl;
        var plan = new LoadPlan(options.Concurrency, options.WarmUp, options.Duration, long.MaxValue);
        // PBKDF2-SHA256 at 600,000 iterations (the default) is meant to cost ~0.2 s of CPU: few logins, low concurrency.
        var hashPlan = new LoadPlan(2, options.Quick ? TimeSpan.Zero : TimeSpan.FromSeconds(2), options.Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(8), 200);
        await meter.RunAsync(Other, Gatehouse, "database-connection login (PBKDF2 600k)", url, Operations.PostForm("oauth/token",
        [
            new("grant_type", "http://auth0.com/oauth/grant-type/password-realm"),
            new("client_id", s.NativeClientId),
            new("realm", s.DatabaseRealm),
            new("username", s.DatabaseUser),
            new("password", s.DatabasePassword),
            new("scope", "openid profile email"),
            new("audience", s.Audience),
        ]), hashPlan, ghMeter);
        // The same user and password hash through the browser, beside it: what the four requests add to one login.
        await meter.RunAsync(Other, Gatehouse, BrowserScenario, url,
            BrowserLogin.For(s.BrowserClientId, s.DatabaseRealm, s.DatabaseUser, s.DatabasePassword, s.Audience), hashPlan, ghMeter);
        await meter.RunAsync(Other, Gatehouse, "client_credentials", url, Operations.PostForm("oauth/token",
        [
            new("grant_type", "client_credentials"),
            new("client_id", s.M2mClientId),
            new("client_secret", s.M2mSecret),
            new("audience", s.Audience),
        ]), plan, ghMeter);
        var userPath = "api/v2/users/" + Uri.EscapeDataString(s.DatabaseUserId);
        await meter.RunAsync(Other, Gatehouse, "Management API read (GET user)", url, Operations.Get(userPath, s.ManagementToken, "\"user_id\""), plan, ghMeter);
        // Writes go round the users the federated runs provisioned, so two concurrent writes rarely race for one record.
        var userIds = await UserIdsAsync(url, s);
        await meter.RunAsync(Other, Gatehouse, "Management API write (PATCH user_metadata)", url,
            Operations.PatchJson(n => "api/v2/users/" + Uri.EscapeDataString(userIds[(int)(n % userIds.Count)]), s.ManagementToken,
                n => new JsonObject { ["user_metadata"] = new JsonObject { ["n"] = n } }.ToJsonString()), plan, ghMeter);
        var accessToken = await LoginOnceAsync(url, s, password);
        await meter.RunAsync(Other, Gatehouse, "/userinfo", url, Operations.Get("userinfo", accessToken, "\"sub\""), plan, ghMeter);
        await meter.RunAsync(Other, Gatehouse, "JWKS", url, Operations.Get(".well-known/jwks.json", null, "\"keys\""), plan, ghMeter);
    }

    private static async Task<IReadOnlyList<string>> UserIdsAsync(Uri url, GatehouseSetup s)
    {
        using var http = BenchHttp.Create(url, 1);
        var page = await JsonHttp.SendAsync(http, HttpMethod.Get, "api/v2/users?per_page=100", null, s.ManagementToken);
        return [.. page.AsArray().Select(u => (string)u!["user_id"]!)];
    }

    private static async Task<string> LoginOnceAsync(Uri url, GatehouseSetup s, string password)
    {
        using var http = BenchHttp.Create(url, 1);
        var answer = await JsonHttp.PostFormAsync(http, "oauth/token", FederatedForm(s.NativeClientId, s.WaadRealm, EmulatorHost.User, password));
        return answer["access_token"]!.GetValue<string>();
    }

    public static KeyValuePair<string, string>[] FederatedForm(string clientId, string realm, string user, string password) =>
    [
        new("grant_type", "http://auth0.com/oauth/grant-type/password-realm"),
        new("client_id", clientId),
        new("realm", realm),
        new("username", user),
        new("password", password),
        new("scope", "openid profile email"),
        new("audience", GatehouseHost.Audience),
    ];

    public static Operation FederatedLogins(string clientId, string realm, IReadOnlyList<string> users) =>
        Operations.PostForms("oauth/token", [.. users.Select(u => FederatedForm(clientId, realm, u, EmulatorHost.PasswordOf(u)))], "\"id_token\"");
}

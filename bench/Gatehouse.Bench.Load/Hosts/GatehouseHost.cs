using System.Text.Json.Nodes;

namespace Gatehouse.Bench.Load.Hosts;

/// <summary>The names and secrets a set-up Gatehouse gives the scenarios.</summary>
public sealed record GatehouseSetup(
    string NativeClientId,
    string WaadRealm,
    string GroupsRealm,
    string DatabaseRealm,
    string DatabaseUser,
    string DatabasePassword,
    string DatabaseUserId,
    string M2mClientId,
    string M2mSecret,
    string Audience,
    string ManagementToken,
    string WaadConnectionId,
    string BrowserClientId);

/// <summary>
/// Gatehouse.Server (Release) as its own process over plain HTTP on loopback, pointed at the emulator, set up the
/// way an operator would (Management API): an API, a native app, a browser app (authorization code), a waad
/// connection, a database connection with one user, an M2M client. Production logging defaults (Information), nothing switched off for the benchmark; the rate
/// limits are sized never to refuse the load generator's single address.
/// </summary>
public sealed class GatehouseHost : IAsyncDisposable
{
    public const string Audience = "https://bench.gatehouse.local/";
    public const string WaadRealm = "bench-waad";
    public const string GroupsRealm = "bench-waad-groups";
    public const string DatabaseRealm = "bench-db";

    private GatehouseHost(ManagedProcess process, Uri baseUrl, string dataDir, StoreChoice store)
    {
        Process = process;
        BaseUrl = baseUrl;
        DataDir = dataDir;
        Store = store;
    }

    public ManagedProcess Process { get; }
    public Uri BaseUrl { get; }
    public string DataDir { get; }
    public StoreChoice Store { get; }
    public GatehouseSetup Setup { get; private set; } = null!;

    public static async Task<GatehouseHost> StartAsync(BenchPaths paths, EmulatorHost emulator, StoreChoice store, string workDir, string name)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentNullException.ThrowIfNull(store);
        var port = ManagedProcess.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var dataDir = Path.Combine(workDir, name + "-data");
        Directory.CreateDirectory(dataDir);
        var env = new Dictionary<string, string>
        {
            ["AzureAd__AuthorityUrl"] = emulator.BaseUrl.ToString(),
            ["AzureAd__GraphUrl"] = emulator.BaseUrl.ToString(),
            ["AzureAd__AadGraphUrl"] = emulator.BaseUrl + "aadgraph/",
            ["AzureAd__AllowHttpLoopback"] = "true", // the bench leaves TLS out on both sides (docs/benchmarks.md)
            ["Storage__Provider"] = store.Provider,
        };
        // The load comes from one address far faster than any client would: the buckets stay on (their cost is part
        // of what is measured) but are made big enough never to refuse.
        foreach (var group in new[] { "Authentication", "UserInfo", "Discovery", "ManagementApi" })
        {
            env[$"RateLimits__{group}__Limit"] = "100000000";
            env[$"RateLimits__{group}__PerSecond"] = "100000000";
        }
        if (store.ConnectionString is not null)
            env["Storage__ConnectionString"] = store.ConnectionString;
        // The load generator is the TLS-terminating proxy of the browser login (X-Forwarded-Proto: https): its login page
        // and cookies are HTTPS-only.
        env["Network__KnownProxies__0"] = "127.0.0.1";
        foreach (var (key, value) in ServerOnlyEnvironment())
            env[key] = value;
        var process = ManagedProcess.Start(name, paths.Gatehouse,
            ["--urls", url.ToString().TrimEnd('/'), "--data-dir", dataDir, "--public-url", url.ToString()], env, workDir);
        await process.WaitUntilAnswersAsync(new Uri(url, ".well-known/jwks.json"), TimeSpan.FromSeconds(90));
        var host = new GatehouseHost(process, url, dataDir, store);
        host.Setup = await host.SetUpAsync();
        return host;
    }

    /// <summary>
    /// <c>BENCH_SERVER_X=v</c> in bench/run's environment becomes <c>X=v</c> for the Gatehouse server alone: an A/B of a
    /// runtime knob (GC, thread pool, sockets) without changing the emulator's or the load generator's settings.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ServerOnlyEnvironment()
    {
        const string Prefix = "BENCH_SERVER_";
        var chosen = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string key && key.StartsWith(Prefix, StringComparison.Ordinal) && key.Length > Prefix.Length)
                chosen[key[Prefix.Length..]] = e.Value as string ?? "";
        }
        return chosen;
    }

    private async Task<GatehouseSetup> SetUpAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var bootstrap = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(DataDir, "bootstrap.json")))!;
        var token = (await JsonHttp.PostFormAsync(http, "oauth/token",
        [
            new("grant_type", "client_credentials"),
            new("client_id", (string)bootstrap["client_id"]!),
            new("client_secret", (string)bootstrap["client_secret"]!),
            new("audience", (string)bootstrap["audience"]!),
        ]))["access_token"]!.GetValue<string>();

        async Task<JsonNode> Api(HttpMethod method, string path, JsonObject? body) =>
            await JsonHttp.SendAsync(http, method, "api/v2/" + path, body?.ToJsonString(), token);

        await Api(HttpMethod.Post, "resource-servers", new JsonObject
        {
            ["identifier"] = Audience,
            ["name"] = "Bench API",
            ["signing_alg"] = "RS256",
            ["scopes"] = new JsonArray(new JsonObject { ["value"] = "read:bench", ["description"] = "read" }),
        });
        var native = await Api(HttpMethod.Post, "clients", new JsonObject
        {
            ["name"] = "Bench Native",
            ["app_type"] = "native",
            ["token_endpoint_auth_method"] = "none",
            ["grant_types"] = new JsonArray("password", "http://auth0.com/oauth/grant-type/password-realm"),
        });
        var nativeId = (string)native["client_id"]!;
        var browser = await Api(HttpMethod.Post, "clients", new JsonObject
        {
            ["name"] = "Bench Browser",
            ["app_type"] = "native",
            ["token_endpoint_auth_method"] = "none",
            ["grant_types"] = new JsonArray("authorization_code"),
            ["callbacks"] = new JsonArray(Suite.BrowserLogin.Callback),
        });
        var browserId = (string)browser["client_id"]!;
        var waad = await Api(HttpMethod.Post, "connections", WaadConnection(WaadRealm, nativeId, groups: false));
        await Api(HttpMethod.Post, "connections", WaadConnection(GroupsRealm, nativeId, groups: true));
        await Api(HttpMethod.Post, "connections", new JsonObject
        {
            ["name"] = DatabaseRealm,
            ["strategy"] = "auth0",
            ["enabled_clients"] = new JsonArray(nativeId, browserId),
        });
        const string dbEmail = "bench-user@bench.gatehouse.local", dbPassword = "Bench-Passw0rd-42!";
        var dbUser = await Api(HttpMethod.Post, "users", new JsonObject
        {
            ["connection"] = DatabaseRealm,
            ["email"] = dbEmail,
            ["password"] = dbPassword,
            ["email_verified"] = true,
        });
        var m2m = await Api(HttpMethod.Post, "clients", new JsonObject
        {
            ["name"] = "Bench M2M",
            ["app_type"] = "non_interactive",
            ["token_endpoint_auth_method"] = "client_secret_post",
            ["grant_types"] = new JsonArray("client_credentials"),
        });
        await Api(HttpMethod.Post, "client-grants", new JsonObject
        {
            ["client_id"] = (string)m2m["client_id"]!,
            ["audience"] = Audience,
            ["scope"] = new JsonArray("read:bench"),
        });
        return new GatehouseSetup(nativeId, WaadRealm, GroupsRealm, DatabaseRealm, dbEmail, dbPassword, (string)dbUser["user_id"]!,
            (string)m2m["client_id"]!, (string)m2m["client_secret"]!, Audience, token, (string)waad["id"]!, browserId);
    }

    /// <summary>Adds connections that only make the store bigger (the 1,000-connections growth run).</summary>
    public async Task AddIdleConnectionsAsync(int count, int firstNumber)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        for (var i = firstNumber; i < firstNumber + count; i++)
        {
            await JsonHttp.SendAsync(http, HttpMethod.Post, "api/v2/connections",
                WaadConnection($"bench-idle-{i:D4}", Setup.NativeClientId, groups: false).ToJsonString(), Setup.ManagementToken);
        }
    }

    /// <summary>The brief's waad payload (v2, the Web API's App ID URI); with groups, Microsoft Graph groups too.</summary>
    private static JsonObject WaadConnection(string name, string clientId, bool groups) => new()
    {
        ["name"] = name,
        ["strategy"] = "waad",
        ["enabled_clients"] = new JsonArray(clientId),
        ["options"] = groups
            ? new JsonObject
            {
                ["tenant_domain"] = EmulatorHost.Tenant,
                ["client_id"] = EmulatorHost.NativeAppId,
                ["app_id"] = "https://graph.microsoft.com",
                ["ext_groups"] = true,
            }
            : new JsonObject
            {
                ["tenant_domain"] = EmulatorHost.Tenant,
                ["client_id"] = EmulatorHost.NativeAppId,
                ["app_id"] = EmulatorHost.WebApiAppIdUri,
                ["client_secret"] = "any_value",
            },
    };

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

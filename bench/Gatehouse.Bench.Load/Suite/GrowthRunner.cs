using System.Diagnostics;
using System.Globalization;
using Gatehouse.Bench.Load.Hosts;
using Gatehouse.Bench.Load.Load;
using Gatehouse.Bench.Load.Measure;

namespace Gatehouse.Bench.Load.Suite;

/// <summary>
/// Growth: the federated login as the store grows (users on SQLite and PostgreSQL), as connections multiply, and as
/// users belong to more groups (read from Microsoft Graph on a connection with ext_groups). Each size gets a fresh
/// Gatehouse and store; the active users are the same pool of 64 in every run, the rest only fill the indexes.
/// </summary>
public sealed class GrowthRunner(SuiteOptions options, BenchPaths paths, Meter meter, EmulatorHost emulator, ProcessMeter emulatorMeter,
    List<string> notes, TextWriter progress)
{
    private int _instance;
    private bool _processWarm;

    public async Task RunAsync()
    {
        var stores = new List<StoreChoice> { StoreChoice.Sqlite };
        if (options.PostgresConnectionString is { } pg)
            stores.Add(StoreChoice.Postgres(pg));
        var sizes = options.GrowthUsers.Order().ToList();
        foreach (var store in stores)
        {
            // One Gatehouse per store, its user table grown between measurements: only the user count changes.
            await WithGatehouseAsync(store, async (gatehouse, ghMeter) =>
            {
                var seeded = 0;
                foreach (var users in sizes)
                {
                    var clock = Stopwatch.StartNew();
                    await UserSeeder.SeedAsync(gatehouse, users - seeded, seeded);
                    seeded = users;
                    notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"Growth, {store}: grown to {users:N0} users with bulk SQL in {clock.Elapsed.TotalSeconds:F1} s (plus the 64 active users)."));
                    await MeasureAsync(store.ToString(), $"{users:N0} users", gatehouse, ghMeter, gatehouse.Setup.WaadRealm, BenchSeed.PlainUsers);
                    if (store == StoreChoice.Sqlite && users == sizes[0])
                    {
                        foreach (var groups in options.GrowthGroups)
                        {
                            await MeasureAsync("SQLite", $"{groups:N0} groups per user ({users:N0} users; ext_groups, Microsoft Graph)", gatehouse, ghMeter,
                                gatehouse.Setup.GroupsRealm, BenchSeed.GroupUsers(groups));
                        }
                    }
                }
            });
        }

        await WithGatehouseAsync(StoreChoice.Sqlite, async (gatehouse, ghMeter) =>
        {
            await UserSeeder.SeedAsync(gatehouse, 1_000, 0);
            // Setup made 3 connections (two waad, one database); the rest are idle waad connections added between runs.
            var present = 3;
            foreach (var connections in options.GrowthConnections.Order())
            {
                await gatehouse.AddIdleConnectionsAsync(Math.Max(0, connections - present), present);
                present = Math.Max(present, connections);
                await MeasureAsync("SQLite", $"{present:N0} connections in the store (1,000 users)", gatehouse, ghMeter, gatehouse.Setup.WaadRealm, BenchSeed.PlainUsers);
            }
        });
    }

    private async Task WithGatehouseAsync(StoreChoice store, Func<GatehouseHost, ProcessMeter, Task> run)
    {
        var n = ++_instance;
        var name = string.Create(CultureInfo.InvariantCulture, $"gatehouse-growth-{n}");
        var chosen = store.Provider == "postgres"
            ? StoreChoice.Postgres(await UserSeeder.CreatePostgresDatabaseAsync(store.ConnectionString!, $"gatehouse_bench_{n}"))
            : store;
        await progress.WriteLineAsync($"growth: {name} on {chosen}");
        await using var gatehouse = await GatehouseHost.StartAsync(paths, emulator, chosen, options.WorkDir, name);
        var ghMeter = new ProcessMeter(gatehouse.Process.Pid);
        _processWarm = false;
        // One login of each active user first: provisions them (and gives the seeder its template row).
        using (var http = BenchHttp.Create(gatehouse.BaseUrl, 8))
        {
            var login = SuiteRunner.FederatedLogins(gatehouse.Setup.NativeClientId, gatehouse.Setup.WaadRealm, BenchSeed.PlainUsers);
            foreach (var _ in BenchSeed.PlainUsers)
            {
                if (await login(http, CancellationToken.None) is { } error)
                    throw new InvalidOperationException($"{name}: provisioning login failed: {error}");
            }
        }
        await run(gatehouse, ghMeter);
    }

    /// <summary>The first measurement of each Gatehouse process warms up for <see cref="SuiteOptions.ProcessWarmUp"/>, so sizes compare warm with warm.</summary>
    private Task<Measurement> MeasureAsync(string system, string scenario, GatehouseHost gatehouse, ProcessMeter ghMeter, string realm, IReadOnlyList<string> users)
    {
        var warmUp = _processWarm ? options.WarmUp : options.ProcessWarmUp;
        _processWarm = true;
        return meter.RunAsync(SuiteRunner.Growth, system, scenario, gatehouse.BaseUrl,
            SuiteRunner.FederatedLogins(gatehouse.Setup.NativeClientId, realm, users),
            new LoadPlan(options.Concurrency, warmUp, options.GrowthDuration, long.MaxValue), ghMeter, emulatorMeter);
    }
}

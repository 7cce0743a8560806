using System.Text.Json;
using Gatehouse.Connections.Database;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests;

/// <summary>Brute-force protection, the upstream-lockout guard and suspicious IP throttling around the password grants.</summary>
public class ProtectionTests
{
    private const string Email = "ann@example.com";
    private const string Password = "Passw0rd!";
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static (TestWorld World, Connection Connection) DatabaseWorld()
    {
        var world = new TestWorld();
        world.AddClient("app", "none", null, GrantTypes.PasswordRealm, GrantTypes.Password);
        var connection = world.AddConnection("db", DatabaseConnectionStrategy.Name, "app");
        world.AddDatabaseUser(connection, Email, Password);
        return (world, connection);
    }

    private static Task<TokenOutcome> LoginAsync(TestWorld world, string password, string ip = "203.0.113.7", string username = Email) =>
        world.Pipeline.ExecuteAsync(TestWorld.Request(("grant_type", GrantTypes.PasswordRealm), ("client_id", "app"), ("realm", "db"),
            ("username", username), ("password", password)) with { Ip = ip }, Ct);

    private static async Task SaveAsync<T>(TestWorld world, string kind, T settings) where T : notnull, new()
    {
        var (_, version) = await world.ProtectionSettings.ReadAsync<T>(kind, Ct);
        await world.ProtectionSettings.SaveAsync(kind, settings, version, Ct);
    }

    private static int LogsOf(TestWorld world, string type) => world.Store.Logs.Count(l => l.Type == type);

    [Fact]
    public async Task The_identifier_is_blocked_at_max_attempts_without_checking_the_password_and_limit_wc_is_logged_once()
    {
        var (world, _) = DatabaseWorld();
        using var _w = world;
        for (var i = 0; i < 10; i++)
            Assert.Equal(OAuthError.WrongCredentials(), (await LoginAsync(world, "wrong")).Error);
        Assert.Equal(1, LogsOf(world, LogTypes.BruteForceBlock));
        var verifications = world.Hasher.Verifications;

        var blocked = await LoginAsync(world, Password);
        Assert.Equal(new OAuthError(429, "too_many_attempts", LoginProtection.BlockedDescription), blocked.Error);
        var unknown = await LoginAsync(world, "x", username: "nobody@example.com");
        Assert.Equal(OAuthError.WrongCredentials(), unknown.Error); // another identifier is not blocked
        Assert.Equal(verifications + 1, world.Hasher.Verifications); // the blocked attempt never reached the connection
        Assert.Equal(1, LogsOf(world, LogTypes.BruteForceBlock));

        var log = world.Store.Logs.Single(l => l.Type == LogTypes.BruteForceBlock);
        Assert.Equal(("203.0.113.7", Email, "db"), (log.Ip, log.UserName, log.ConnectionName));
        Assert.Equal(10, log.Details!.Value.GetProperty("max_attempts").GetInt32());

        // Another IP may still try (count_per_identifier_and_ip).
        Assert.Null((await LoginAsync(world, Password, ip: "198.51.100.1")).Error);
    }

    [Fact]
    public async Task A_success_resets_the_count_and_identifiers_are_trimmed_and_lower_cased()
    {
        var (world, _) = DatabaseWorld();
        using var _w = world;
        for (var i = 0; i < 9; i++)
            await LoginAsync(world, "wrong", username: i % 2 == 0 ? "  ANN@example.com " : Email);
        Assert.Null((await LoginAsync(world, Password)).Error);
        for (var i = 0; i < 9; i++)
            await LoginAsync(world, "wrong");
        Assert.Null((await LoginAsync(world, Password)).Error);

        for (var i = 0; i < 10; i++)
            await LoginAsync(world, "wrong", username: " Ann@Example.COM");
        Assert.Equal("too_many_attempts", (await LoginAsync(world, Password)).Error!.Error);
    }

    [Fact]
    public async Task Per_identifier_mode_blocks_every_ip_and_the_block_shield_decides_whether_to_refuse()
    {
        var (world, _) = DatabaseWorld();
        using var _w = world;
        await SaveAsync(world, AttackProtectionKinds.BruteForce, new BruteForceProtectionSettings { Mode = BruteForceProtectionSettings.CountPerIdentifier, MaxAttempts = 3 });
        for (var i = 0; i < 3; i++)
            await LoginAsync(world, "wrong", ip: $"198.51.100.{i + 1}");
        Assert.Equal("too_many_attempts", (await LoginAsync(world, Password, ip: "192.0.2.200")).Error!.Error);

        await SaveAsync(world, AttackProtectionKinds.BruteForce, new BruteForceProtectionSettings
        {
            Mode = BruteForceProtectionSettings.CountPerIdentifier, MaxAttempts = 3, Shields = [Shields.UserNotification],
        });
        Assert.Null((await LoginAsync(world, Password, ip: "192.0.2.200")).Error); // counted and logged, not refused
    }

    [Fact]
    public async Task Raising_the_threshold_a_password_change_and_time_lift_a_block()
    {
        var (world, connection) = DatabaseWorld();
        using var _w = world;
        await SaveAsync(world, AttackProtectionKinds.BruteForce, new BruteForceProtectionSettings { MaxAttempts = 2 });
        await LoginAsync(world, "wrong");
        await LoginAsync(world, "wrong");
        Assert.Equal("too_many_attempts", (await LoginAsync(world, Password)).Error!.Error);

        await SaveAsync(world, AttackProtectionKinds.BruteForce, new BruteForceProtectionSettings { MaxAttempts = 3 });
        Assert.Equal(OAuthError.WrongCredentials(), (await LoginAsync(world, "wrong")).Error); // 3 of 3 now
        Assert.Equal("too_many_attempts", (await LoginAsync(world, Password)).Error!.Error);

        world.Time.Advance(TimeSpan.FromMinutes(1));
        var user = (await world.Store.FindUserByEmailAsync(connection.Id, Email, Ct))!;
        await world.Store.UpdateUserAsync(user with { LastPasswordReset = world.Time.GetUtcNow() }, Ct);
        Assert.Null((await LoginAsync(world, Password)).Error);

        for (var i = 0; i < 3; i++)
            await LoginAsync(world, "wrong");
        Assert.Equal("too_many_attempts", (await LoginAsync(world, Password)).Error!.Error);
        world.Time.Advance(world.ProtectionOptions.BlockDuration - TimeSpan.FromSeconds(1));
        Assert.Equal("too_many_attempts", (await LoginAsync(world, Password)).Error!.Error);
        world.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null((await LoginAsync(world, Password)).Error);
    }

    [Fact]
    public async Task A_database_connection_with_brute_force_protection_off_is_never_blocked_and_a_fake_one_is_counted()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, GrantTypes.PasswordRealm);
        var off = await world.Store.CreateConnectionAsync(new Connection("con_off", "off", DatabaseConnectionStrategy.Name,
            JsonSerializer.SerializeToElement(new { brute_force_protection = false }), ["app"], ["off"], null, false, false, null, 0), Ct);
        world.AddDatabaseUser(off, Email, Password);
        world.AddConnection("fake", RecordingConnectionStrategy.Name, "app"); // no such option: protected, whatever its strategy
        await SaveAsync(world, AttackProtectionKinds.BruteForce, new BruteForceProtectionSettings { MaxAttempts = 2 });

        Task<TokenOutcome> Login(string realm, string password) => world.Pipeline.ExecuteAsync(TestWorld.Request(("grant_type", GrantTypes.PasswordRealm),
            ("client_id", "app"), ("realm", realm), ("username", Email), ("password", password)) with { Ip = "203.0.113.7" }, Ct);
        for (var i = 0; i < 3; i++)
        {
            await Login("off", "wrong");
            await Login("fake", "wrong");
        }

        Assert.Null((await Login("off", Password)).Error); // the connection's own brute_force_protection: false
        Assert.Equal("too_many_attempts", (await Login("fake", "any")).Error!.Error);
    }

    [Fact]
    public async Task Allowlisted_addresses_are_not_counted()
    {
        var (world, _) = DatabaseWorld();
        using var _w = world;
        await SaveAsync(world, AttackProtectionKinds.BruteForce, new BruteForceProtectionSettings { MaxAttempts = 1, Allowlist = ["10.1.0.0/16", "2001:db8::1"] });
        await SaveAsync(world, AttackProtectionKinds.SuspiciousIp, new SuspiciousIpThrottlingSettings
        {
            Allowlist = ["10.1.0.0/16", "2001:db8::1"], Stage = new ThrottlingStages { PreLogin = new ThrottlingStage(1, 864_000) },
        });
        for (var i = 0; i < 3; i++)
        {
            await LoginAsync(world, "wrong", ip: "10.1.2.3");
            await LoginAsync(world, "wrong", ip: "2001:db8::1");
        }
        Assert.Null((await LoginAsync(world, Password, ip: "10.1.2.3")).Error);
        Assert.Null((await LoginAsync(world, Password, ip: "::ffff:10.1.9.9")).Error);
        Assert.Equal(0, LogsOf(world, LogTypes.BruteForceBlock) + LogsOf(world, LogTypes.SuspiciousIpBlock));
    }

    [Fact]
    public async Task Suspicious_ip_throttling_is_a_token_bucket_across_accounts_with_retry_after()
    {
        var (world, _) = DatabaseWorld();
        using var _w = world;
        await SaveAsync(world, AttackProtectionKinds.SuspiciousIp, new SuspiciousIpThrottlingSettings { Stage = new ThrottlingStages { PreLogin = new ThrottlingStage(3, 60_000) } });
        for (var i = 0; i < 3; i++)
            await LoginAsync(world, "wrong", username: $"user{i}@example.com");
        var throttled = await LoginAsync(world, Password);
        Assert.Equal(new OAuthError(429, "too_many_attempts", LoginProtection.ThrottledDescription) { RetryAfterSeconds = 60 }, throttled.Error);
        Assert.Null((await LoginAsync(world, Password, ip: "198.51.100.9")).Error);
        Assert.Equal(1, LogsOf(world, LogTypes.SuspiciousIpBlock));

        world.Time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(15, (await LoginAsync(world, Password)).Error!.RetryAfterSeconds);
        world.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(OAuthError.WrongCredentials(), (await LoginAsync(world, "wrong", username: "user9@example.com")).Error); // one attempt regained
        Assert.Equal("too_many_attempts", (await LoginAsync(world, Password)).Error!.Error);
        Assert.Equal(2, LogsOf(world, LogTypes.SuspiciousIpBlock));

        Assert.True(await world.Throttle.IsBlockedAsync("203.0.113.7", Ct));
        await world.Throttle.UnblockAsync("203.0.113.7", Ct);
        Assert.False(await world.Throttle.IsBlockedAsync("203.0.113.7", Ct));
        Assert.Null((await LoginAsync(world, Password)).Error);
    }

    [Fact]
    public async Task The_upstream_guard_counts_wrong_passwords_per_identifier_from_any_ip_but_not_unknown_users()
    {
        using var world = new TestWorld();
        var waad = new Connection("con_waad", "contoso", "waad", JsonSerializer.SerializeToElement(new { }), [], ["contoso"], null, false, false, null, 1);
        var live = new FakeUpstreamConnection(waad, "contoso.onmicrosoft.com");
        LoginAttempt From(string ip) => new("adele@contoso.com", ip, waad, new AuditEntry(LogTypes.FailedLogin, null) { Connection = waad, Ip = ip }) { Live = live };

        for (var i = 0; i < 10; i++)
            await world.BruteForce.RecordFailureAsync(From($"198.51.100.{i}"), upstreamCounted: false, Ct);
        Assert.False(await world.BruteForce.IsBlockedAsync(From("192.0.2.1"), Ct));

        for (var i = 0; i < 4; i++)
            await world.BruteForce.RecordFailureAsync(From($"203.0.113.{i}"), upstreamCounted: true, Ct);
        Assert.False(await world.BruteForce.IsBlockedAsync(From("192.0.2.1"), Ct));
        var trips = await world.BruteForce.RecordFailureAsync(From("203.0.113.4"), upstreamCounted: true, Ct);
        Assert.True(Assert.Single(trips).Entry.Upstream);
        Assert.True(await world.BruteForce.IsBlockedAsync(From("192.0.2.1"), Ct));

        var block = Assert.Single(await world.BruteForce.ListAsync("Adele@Contoso.com", null, Ct));
        Assert.Equal(("contoso", null), (block.ConnectionName, block.Ip));
        await world.BruteForce.UnblockAsync("adele@contoso.com", null, Ct);
        Assert.False(await world.BruteForce.IsBlockedAsync(From("192.0.2.1"), Ct));
        Assert.Empty(await world.BruteForce.ListAsync("adele@contoso.com", null, Ct));
    }

    [Fact]
    public async Task Outages_and_bad_requests_do_not_count_and_legacy_ro_is_protected_too()
    {
        using var world = new TestWorld();
        world.AddClient("app", "none", null, GrantTypes.PasswordRealm, GrantTypes.LegacyRo);
        world.AddConnection("up", RecordingConnectionStrategy.Name, "app");
        await SaveAsync(world, AttackProtectionKinds.BruteForce, new BruteForceProtectionSettings { MaxAttempts = 2 });
        await SaveAsync(world, AttackProtectionKinds.SuspiciousIp, new SuspiciousIpThrottlingSettings { Stage = new ThrottlingStages { PreLogin = new ThrottlingStage(2, 864_000) } });
        Task<TokenOutcome> Realm(params (string, string)[] extra) => world.Pipeline.ExecuteAsync(TestWorld.Request(
            [("grant_type", GrantTypes.PasswordRealm), ("client_id", "app"), ("realm", "up"), ("username", "bo@example.com"), ("password", "p"), .. extra]), Ct);

        world.Fake.Answer = (_, _) => throw new Gatehouse.Core.Connections.UpstreamUnavailableException("up", null, "down");
        for (var i = 0; i < 4; i++)
            Assert.Equal("temporarily_unavailable", (await Realm()).Error!.Error);
        for (var i = 0; i < 4; i++)
            Assert.Equal("access_denied", (await Realm(("audience", "https://no-such-api.example/"))).Error!.Error);
        Assert.Equal(0, LogsOf(world, LogTypes.BruteForceBlock) + LogsOf(world, LogTypes.SuspiciousIpBlock));

        world.Fake.Answer = (_, _) => new Gatehouse.Core.Connections.PasswordLoginResult.InvalidCredentials(false, null, null);
        await Realm();
        await Realm();
        var legacy = await world.Pipeline.ExecuteLegacyAsync(TestWorld.Request(("grant_type", GrantTypes.LegacyRo), ("client_id", "app"),
            ("connection", "up"), ("username", "BO@example.com"), ("password", "p")), Ct);
        Assert.Equal((429, "too_many_attempts"), (legacy.Error!.Status, legacy.Error.Error));
        Assert.Equal(6, world.Fake.Logins.Count); // 4 outages + 2 wrong passwords; the blocked attempt never reached the connection
    }

    [Fact]
    public async Task Settings_saved_on_another_node_apply_once_the_cache_expires()
    {
        using var world = new TestWorld();
        var otherNode = new AttackProtectionSettingsService(world.Store, world.Time, world.ProtectionOptions);
        Assert.Equal(10, (await world.ProtectionSettings.BruteForceAsync(Ct)).MaxAttempts);
        await otherNode.SaveAsync(AttackProtectionKinds.BruteForce, new BruteForceProtectionSettings { MaxAttempts = 4 }, 0, Ct);
        Assert.Equal(10, (await world.ProtectionSettings.BruteForceAsync(Ct)).MaxAttempts);
        world.Time.Advance(world.ProtectionOptions.SettingsCacheDuration);
        Assert.Equal(4, (await world.ProtectionSettings.BruteForceAsync(Ct)).MaxAttempts);
        await Assert.ThrowsAsync<StoreException>(() => otherNode.SaveAsync(AttackProtectionKinds.BruteForce, new BruteForceProtectionSettings(), 0, Ct));
    }

    [Fact]
    public async Task In_memory_counters_stay_bounded()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var counters = new InMemoryAttackCounters(time, new ProtectionOptions { MaxCounters = 100 });
        for (var i = 0; i < 1000; i++)
            await counters.IncrementAsync($"k{i}", TimeSpan.FromMinutes(i + 1), IAttackCounters.NeverBlocks, Ct);
        var kept = 0;
        for (var i = 0; i < 1000; i++)
            kept += (await counters.GetAsync($"k{i}", Ct)).Count > 0 ? 1 : 0;
        Assert.InRange(kept, 1, 100);
        Assert.Equal(1, (await counters.GetAsync("k999", Ct)).Count); // the longest-lived stay
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("203.0.113.7", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("::1", true)]
    [InlineData("10.0.0.1/8", false)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("1", false)]
    [InlineData("example.com", false)]
    [InlineData(" 10.0.0.1", false)]
    [InlineData("", false)]
    public void Allowlist_entries_are_addresses_or_cidr_ranges(string entry, bool valid) =>
        Assert.Equal(valid, IpRanges.TryParse(entry, out _));
}

using System.Text.Json;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests;

/// <summary>
/// Issue 14, findings 4 and 7: the upstream-lockout guard counts per upstream account across connections, keeps
/// familiar addresses apart, and blocks on Azure AD's schedule. Wrong passwords are recorded as the grant would
/// (upstream-counted), on a fake clock. Defaults: first block at 5, unfamiliar stop at 7, limit 9.
/// </summary>
public class UpstreamLockoutGuardTests
{
    private const string TenantId = "2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c";
    private const string Upn = "adele@contoso.com";
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static FakeUpstreamConnection Connection(string id, params string[] directories) =>
        new(new Connection(id, id, "waad", JsonSerializer.SerializeToElement(new { }), [], [], null, false, false, null, 1), directories);

    private static LoginAttempt Attempt(FakeUpstreamConnection connection, string ip, string username = Upn) =>
        new(ProtectionKeys.Normalize(username), ip, connection.Definition,
            new AuditEntry(LogTypes.FailedLogin, null) { Connection = connection.Definition, Ip = ip }) { Live = connection };

    /// <summary>A wrong password the provider counted; how many guard blocks tripped with it.</summary>
    private static async Task<int> WrongAsync(TestWorld world, LoginAttempt attempt) =>
        (await world.BruteForce.RecordFailureAsync(attempt, upstreamCounted: true, Ct)).Count(t => t.Entry.Upstream);

    private static Task SuccessAsync(TestWorld world, LoginAttempt attempt, string accountId = "oid-adele") =>
        world.BruteForce.RecordSuccessAsync(attempt, User(accountId), Ct);

    private static User User(string accountId) => new(
        "waad|" + accountId, "con", null, false, null, null, null, null, null, null, null, null, TenantId + "/" + accountId,
        [], null, null, null, false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, null, 0, null, 1);

    [Fact]
    public async Task Connections_naming_one_tenant_by_domain_by_alias_or_by_id_share_one_count()
    {
        using var world = new TestWorld();
        // A connection named by a domain knows the tenant id from its first discovery, before any password is sent.
        var byDomain = Connection("by-domain", TenantId, "contoso.onmicrosoft.com");
        var byAlias = Connection("by-alias", TenantId, "contoso.com");
        var byId = Connection("by-id", TenantId);
        var other = Connection("fabrikam", "0f0e0d0c-0b0a-4909-8807-060504030201", "fabrikam.onmicrosoft.com");

        var trips = await WrongAsync(world, Attempt(byDomain, "203.0.113.1"));
        trips += await WrongAsync(world, Attempt(byDomain, "203.0.113.2"));
        trips += await WrongAsync(world, Attempt(byAlias, "203.0.113.3"));
        trips += await WrongAsync(world, Attempt(byId, "203.0.113.4"));
        Assert.False(await world.BruteForce.IsBlockedAsync(Attempt(byId, "203.0.113.5"), Ct));
        trips += await WrongAsync(world, Attempt(byId, "203.0.113.5"));

        foreach (var connection in new[] { byDomain, byAlias, byId })
            Assert.True(await world.BruteForce.IsBlockedAsync(Attempt(connection, "198.51.100.9"), Ct));
        Assert.False(await world.BruteForce.IsBlockedAsync(Attempt(other, "198.51.100.9"), Ct));
        Assert.Equal(1, trips); // one limit_wc
    }

    [Fact]
    public async Task Before_its_first_discovery_a_domain_named_connection_still_counts_with_its_domain()
    {
        using var world = new TestWorld();
        var fresh = Connection("fresh", "contoso.onmicrosoft.com");
        var discovered = Connection("discovered", TenantId, "contoso.onmicrosoft.com");
        for (var i = 0; i < 3; i++)
            await WrongAsync(world, Attempt(fresh, $"203.0.113.{i}"));
        for (var i = 0; i < 2; i++)
            await WrongAsync(world, Attempt(discovered, $"203.0.113.{10 + i}"));
        Assert.True(await world.BruteForce.IsBlockedAsync(Attempt(discovered, "198.51.100.9"), Ct));
        Assert.True(await world.BruteForce.IsBlockedAsync(Attempt(fresh, "198.51.100.9"), Ct));
    }

    [Fact]
    public async Task Another_spelling_of_the_account_meets_its_count_once_a_login_named_the_account()
    {
        using var world = new TestWorld();
        var connection = Connection("c", TenantId);
        await SuccessAsync(world, Attempt(connection, "192.0.2.10", "adele@contoso.com"));
        await SuccessAsync(world, Attempt(connection, "192.0.2.10", "adele@contoso.onmicrosoft.com"));

        for (var i = 0; i < 3; i++)
            await WrongAsync(world, Attempt(connection, $"203.0.113.{i}", "adele@contoso.com"));
        for (var i = 0; i < 2; i++)
            await WrongAsync(world, Attempt(connection, $"203.0.113.{10 + i}", "adele@contoso.onmicrosoft.com"));
        Assert.True(await world.BruteForce.IsBlockedAsync(Attempt(connection, "203.0.113.50", "adele@contoso.com"), Ct));
        Assert.True(await world.BruteForce.IsBlockedAsync(Attempt(connection, "203.0.113.50", "adele@contoso.onmicrosoft.com"), Ct));
    }

    [Fact]
    public async Task Unfamiliar_addresses_are_blocked_on_azures_schedule_while_home_keeps_its_reserve()
    {
        using var world = new TestWorld();
        var connection = Connection("c", TenantId);
        await SuccessAsync(world, Attempt(connection, "2001:db8:1:2::10"));
        var home = Attempt(connection, "2001:db8:1:2:aaaa::1"); // the same /64: familiar
        var away = Attempt(connection, "203.0.113.66");
        Task<bool> BlockedAsync(LoginAttempt attempt) => world.BruteForce.IsBlockedAsync(attempt, Ct);

        for (var i = 0; i < 5; i++)
            await WrongAsync(world, away);
        Assert.True(await BlockedAsync(away));
        Assert.False(await BlockedAsync(home));

        world.Time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromSeconds(1));
        Assert.True(await BlockedAsync(away));
        world.Time.Advance(TimeSpan.FromSeconds(1)); // the first block lasts a minute
        Assert.False(await BlockedAsync(away));
        await WrongAsync(world, away);
        world.Time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Assert.True(await BlockedAsync(away));
        world.Time.Advance(TimeSpan.FromSeconds(1)); // the second, two
        Assert.False(await BlockedAsync(away));
        await WrongAsync(world, away); // 7: unfamiliar addresses have spent their share
        world.Time.Advance(TimeSpan.FromDays(1));
        Assert.True(await BlockedAsync(away));

        // Home still has the reserve: two wrong passwords (9 in all, one below Azure AD's 10), then nothing goes upstream.
        Assert.False(await BlockedAsync(home));
        await WrongAsync(world, home);
        Assert.False(await BlockedAsync(home));
        await WrongAsync(world, home);
        Assert.True(await BlockedAsync(home));
        Assert.True(await BlockedAsync(away));

        await world.BruteForce.UnblockAsync(Upn, null, Ct);
        Assert.False(await BlockedAsync(home));
        Assert.False(await BlockedAsync(away));
    }

    [Fact]
    public async Task A_success_from_home_starts_the_counts_again_but_a_running_block_holds()
    {
        using var world = new TestWorld();
        var connection = Connection("c", TenantId);
        await SuccessAsync(world, Attempt(connection, "192.0.2.10"));
        var home = Attempt(connection, "192.0.2.10");
        var away = Attempt(connection, "203.0.113.66");

        for (var i = 0; i < 5; i++)
            await WrongAsync(world, away);
        await SuccessAsync(world, home);
        Assert.True(await world.BruteForce.IsBlockedAsync(away, Ct)); // the attacker's minute is not lifted by the user
        world.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await world.BruteForce.IsBlockedAsync(away, Ct));

        // Once no block runs, a success forgets the count (Azure AD does too): four more, not one, before the next block.
        await SuccessAsync(world, home);
        for (var i = 0; i < 4; i++)
            await WrongAsync(world, away);
        Assert.False(await world.BruteForce.IsBlockedAsync(away, Ct));
        await WrongAsync(world, away);
        Assert.True(await world.BruteForce.IsBlockedAsync(away, Ct));
    }

    [Fact]
    public void Options_that_would_let_unfamiliar_addresses_eat_the_reserve_stop_the_start()
    {
        var problem = Assert.Throws<InvalidOperationException>(() =>
            new ProtectionOptions { UpstreamLockoutThreshold = 8, UpstreamLockoutLimit = 9, UpstreamFamiliarReserve = 2 }.Validated());
        Assert.Contains("Protection:UpstreamLockoutLimit", problem.Message, StringComparison.Ordinal);
        new ProtectionOptions().Validated();
        new ProtectionOptions { UpstreamLockoutThreshold = 0 }.Validated();
    }
}

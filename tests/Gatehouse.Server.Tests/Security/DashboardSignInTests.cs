using System.Net;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Security;
using Gatehouse.Server.Dashboard.Auth;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.RateLimiting;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Server.Tests.Security;

/// <summary>
/// The dashboard sign-in form against a flood: a per-address rate limit answers before any password is hashed, and a
/// per-email limit catches guesses spread over many addresses, alike for emails nobody has. Hashing is counted by a
/// wrapping hasher and time is a FakeTimeProvider, so nothing depends on how fast the machine is.
/// </summary>
public sealed class DashboardSignInTests
{
    [Fact]
    public async Task A_flood_of_failures_from_many_addresses_stays_bounded_and_keeps_the_administrators_lock()
    {
        var clock = NewClock();
        var counters = new InMemoryAttackCounters(clock, new ProtectionOptions { MaxCounters = 1_000 });
        var throttle = new SignInThrottle(counters);
        for (var i = 0; i < SignInThrottle.MaxAccountFailures; i++)
            await throttle.FailureAsync("admin@example.com", $"2001:db8:{i}::/64", default);
        Assert.True(await throttle.IsLockedOutAsync("admin@example.com", "2001:db8:ffff::/64", default));

        // 20,000 failures within the window, each a made-up email from its own /64: far more than the counters keep.
        for (var i = 0; i < 20_000; i++)
            await throttle.FailureAsync($"made-up-{i}@example.com", $"2001:db8:{i % 60_000:x}:{i / 60_000}::/64", default);

        Assert.InRange(counters.Units, 1, 1_000 + InMemoryAttackCounters.OverflowSlots);
        Assert.True(await throttle.IsLockedOutAsync("admin@example.com", "2001:db8:ffff::/64", default), "the flood lifted the administrator's lock");
    }

    [Fact]
    public async Task The_lock_lives_in_the_shared_counters_so_another_node_refuses_too()
    {
        var clock = NewClock();
        var shared = new InMemoryAttackCounters(clock, new ProtectionOptions());
        var (nodeA, nodeB) = (new SignInThrottle(shared), new SignInThrottle(shared));
        for (var i = 0; i < SignInThrottle.MaxFailures - 1; i++)
            Assert.False(await (i % 2 == 0 ? nodeA : nodeB).FailureAsync("admin@example.com", "198.51.100.7", default));
        Assert.True(await nodeB.FailureAsync("admin@example.com", "198.51.100.7", default)); // the fifth, wherever the four were counted
        Assert.True(await nodeA.IsLockedOutAsync("admin@example.com", "198.51.100.7", default));
        Assert.False(await nodeA.IsLockedOutAsync("admin@example.com", "198.51.100.8", default));

        clock.Advance(SignInThrottle.Lockout);
        Assert.False(await nodeA.IsLockedOutAsync("admin@example.com", "198.51.100.7", default));
    }

    [Fact]
    public async Task A_flood_of_sign_ins_from_one_address_is_refused_before_any_password_is_hashed()
    {
        var (clock, hasher) = (NewClock(), new CountingHasher());
        await using var server = await GatehouseTestServer.StartAsync(c =>
        {
            c["RateLimits:DashboardSignIn:Limit"] = "3";
            c["RateLimits:DashboardSignIn:PerSecond"] = "0.01";
        }, services => services.AddSingleton<TimeProvider>(clock).AddSingleton<IPasswordHasher>(hasher));
        var admin = FirstAdministrator.Read(Path.Combine(server.DataDir, Bootstrapper.BootstrapFileName))!;
        using var form = await SignInForm.OpenAsync(server);

        for (var i = 1; i <= 3; i++)
        {
            var refused = await form.PostAsync($"nobody-{i}@example.com", "wrong");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("Wrong email or password.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(i, hasher.Verifications);
        }

        // The fourth, even with the right password, is answered from the bucket: no hash, no session.
        var limited = await form.PostAsync(admin.Email, admin.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(100), limited.Headers.RetryAfter?.Delta);
        Assert.Contains("Too many sign-in attempts from your address.", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(limited.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("gatehouse_dashboard=", StringComparison.Ordinal));
        Assert.Equal(3, hasher.Verifications);

        // The bucket refills at its rate; then the administrator gets in.
        clock.Advance(TimeSpan.FromSeconds(100));
        var signedIn = await form.PostAsync(admin.Email, admin.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(4, hasher.Verifications);
    }

    [Fact]
    public async Task Failures_for_one_email_from_many_addresses_lock_it_and_an_unknown_email_gets_the_same_answers()
    {
        var (clock, hasher) = (NewClock(), new CountingHasher());
        await using var server = await GatehouseTestServer.StartAsync(
            configureServices: services => services.AddSingleton<TimeProvider>(clock).AddSingleton<IPasswordHasher>(hasher));
        var accounts = server.Services.GetRequiredService<AdministratorAccounts>();
        var (admin, password) = await accounts.CreateAsync(AdminCommand.Actor, "spread@example.com", CancellationToken.None);

        // One failure per address, so no (email, address) pair ever reaches its own limit.
        var known = new List<AdministratorSignIn>();
        var unknown = new List<AdministratorSignIn>();
        for (var i = 0; i < SignInThrottle.MaxAccountFailures; i++)
        {
            known.Add((await accounts.SignInAsync(admin.Email, "wrong", $"198.51.100.{i}", CancellationToken.None)).Result);
            unknown.Add((await accounts.SignInAsync("nobody@example.com", "wrong", $"198.51.100.{i}", CancellationToken.None)).Result);
        }
        Assert.Equal([.. Enumerable.Repeat(AdministratorSignIn.Invalid, SignInThrottle.MaxAccountFailures - 1), AdministratorSignIn.LockedOut], known);
        Assert.Equal(known, unknown);
        Assert.Equal(2 * SignInThrottle.MaxAccountFailures, hasher.Verifications); // an unknown email is hashed like a known one

        // Locked from a fresh address too, without hashing, until the lockout ends.
        Assert.Equal(AdministratorSignIn.LockedOut, (await accounts.SignInAsync(admin.Email, password, "203.0.113.9", CancellationToken.None)).Result);
        Assert.Equal(2 * SignInThrottle.MaxAccountFailures, hasher.Verifications);
        clock.Advance(SignInThrottle.Lockout);
        Assert.Equal(AdministratorSignIn.Success, (await accounts.SignInAsync(admin.Email, password, "203.0.113.9", CancellationToken.None)).Result);
    }

    private static FakeTimeProvider NewClock() => new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    /// <summary>The real hasher (cheap, as in every test server), counting how many passwords it checked.</summary>
    private sealed class CountingHasher : IPasswordHasher
    {
        private readonly Pbkdf2PasswordHasher inner = new(new PasswordHashingOptions { Iterations = 1000 });
        private int verifications;

        public int Verifications => Volatile.Read(ref verifications);

        public string Hash(string password) => inner.Hash(password);

        public PasswordCheck Verify(string password, string? storedHash)
        {
            Interlocked.Increment(ref verifications);
            return inner.Verify(password, storedHash);
        }
    }
}

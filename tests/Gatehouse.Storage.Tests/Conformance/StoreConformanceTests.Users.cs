using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task User_round_trips_every_field_including_json_and_identities()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var draft = User(connection.Id, "Ada.Lovelace@Example.COM") with
        {
            Username = "AdaL",
            ExternalKey = "tid/oid",
            LastPasswordReset = T0.AddTicks(1),
            Blocked = true,
        };
        var created = await Store.CreateUserAsync(draft, Ct);
        Assert.Equal(1, created.Version);

        var read = await Store.GetUserAsync(created.UserId, Ct);
        AssertSame(created, read);
        Assert.Equal("Ada.Lovelace@Example.COM", read!.Email);
        Assert.Equal("ada@example.com", read.Identities[0].ProfileData!.Value.GetProperty("email").GetString());
        Assert.Equal(2, read.AppMetadata!.Value.GetProperty("plan").GetProperty("tier").GetInt32());
        Assert.Equal(T0.AddTicks(1).UtcTicks, read.LastPasswordReset!.Value.UtcTicks);
        Assert.Null(await Store.GetUserAsync(Unique("auth0|"), Ct));
    }

    [Fact]
    public async Task Times_keep_the_instant_to_the_tick_whatever_the_offset()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var local = new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(9_999_999);
        var created = await Store.CreateUserAsync(User(connection.Id) with { CreatedAt = local, LastLogin = null }, Ct);

        var read = await Store.GetUserAsync(created.UserId, Ct);
        Assert.Equal(local.UtcTicks, read!.CreatedAt.UtcTicks);
        Assert.Equal(local, read.CreatedAt);
        Assert.Null(read.LastLogin);
    }

    [Fact]
    public async Task Recording_logins_counts_each_one_and_makes_older_versions_stale()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var user = await Store.CreateUserAsync(User(connection.Id), Ct);
        var at = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

        // Two logins from the same (now stale) copy: both count, neither conflicts.
        await Store.RecordLoginAsync(user, at, "203.0.113.7", Ct);
        var returned = await Store.RecordLoginAsync(user, at.AddMinutes(1), null, Ct);

        var stored = (await Store.GetUserAsync(user.UserId, Ct))!;
        Assert.Equal((user.LoginsCount + 2, at.AddMinutes(1), "203.0.113.7"), (stored.LoginsCount, stored.LastLogin, stored.LastIp));
        Assert.Equal(user.Version + 2, stored.Version);
        Assert.Equal(at.AddMinutes(1), returned.LastLogin);
        await AssertStoreError(StoreError.Conflict, () => Store.UpdateUserAsync(user with { Name = "stale" }, Ct));

        await Store.DeleteUserAsync(user.UserId, Ct);
        Assert.Same(user, await Store.RecordLoginAsync(user, at, null, Ct)); // deleted meanwhile: the login goes on
    }

    [Fact]
    public async Task Updating_on_login_writes_the_profile_and_counts_the_login_in_one_optimistic_write()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var user = await Store.CreateUserAsync(User(connection.Id, "Lin@Example.com") with { LoginsCount = 3, LastIp = "198.51.100.1" }, Ct);
        var at = new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(7);

        // Every kind of column changes: text, a lower-cased key, JSON text, a nullable timestamp (UTC ticks), a flag.
        var returned = await Store.UpdateUserOnLoginAsync(user with
        {
            Name = "Lin Updated", Email = "LIN2@example.com", EmailVerified = !user.EmailVerified, UpdatedAt = at,
            Identities = [new UserIdentity("waad", "oid-2", "azure", false, "sealed-at", null, null)],
            Attributes = Json("""{"department":"R&D","groups":["a","b"]}"""), LastPasswordReset = at.AddDays(-2),
        }, at, null, Ct);

        var stored = (await Store.GetUserAsync(user.UserId, Ct))!;
        AssertSame(returned, stored);
        Assert.Equal(("Lin Updated", "LIN2@example.com", 4, at, "198.51.100.1", user.Version + 1),
            (stored.Name, stored.Email, stored.LoginsCount, stored.LastLogin, stored.LastIp, stored.Version));
        Assert.Equal(stored.UserId, (await Store.FindUserByEmailAsync(connection.Id, "lin2@EXAMPLE.com", Ct))!.UserId);
        Assert.Equal(user.CreatedAt, stored.CreatedAt);

        // The copy read before is stale now, and a deleted user is NotFound.
        await AssertStoreError(StoreError.Conflict, () => Store.UpdateUserOnLoginAsync(user with { Name = "stale" }, at, "203.0.113.9", Ct));
        Assert.Equal("Lin Updated", (await Store.GetUserAsync(user.UserId, Ct))!.Name);
        var other = await Store.CreateUserAsync(User(connection.Id, "taken@example.com"), Ct);
        await AssertStoreError(StoreError.AlreadyExists, () => Store.UpdateUserOnLoginAsync(stored with { Email = "Taken@example.com" }, at, null, Ct));
        await Store.DeleteUserAsync(other.UserId, Ct);
        await AssertStoreError(StoreError.NotFound, () => Store.UpdateUserOnLoginAsync(other, at, null, Ct));
    }

    [Fact]
    public async Task User_id_is_unique()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var user = await Store.CreateUserAsync(User(connection.Id), Ct);
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateUserAsync(User(connection.Id, userId: user.UserId), Ct));
    }

    [Fact]
    public async Task Email_is_unique_per_connection_ignoring_case()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var other = await Store.CreateConnectionAsync(Connection(), Ct);
        await Store.CreateUserAsync(User(connection.Id, "Grace@Example.com"), Ct);

        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateUserAsync(User(connection.Id, "grace@EXAMPLE.com"), Ct));
        await Store.CreateUserAsync(User(other.Id, "grace@example.com"), Ct);
        // Users without an email do not collide with each other.
        await Store.CreateUserAsync(User(connection.Id, null), Ct);
        await Store.CreateUserAsync(User(connection.Id, null), Ct);
    }

    [Fact]
    public async Task Username_is_unique_per_connection_ignoring_case()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        await Store.CreateUserAsync(User(connection.Id) with { Username = "Grace" }, Ct);
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateUserAsync(User(connection.Id) with { Username = "GRACE" }, Ct));
        await Store.CreateUserAsync(User(connection.Id) with { Username = "grace2" }, Ct);
    }

    [Fact]
    public async Task External_key_is_unique_per_connection()
    {
        var connection = await Store.CreateConnectionAsync(Connection(strategy: "waad"), Ct);
        var other = await Store.CreateConnectionAsync(Connection(strategy: "waad"), Ct);
        await Store.CreateUserAsync(User(connection.Id) with { ExternalKey = "tid/oid-1" }, Ct);
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateUserAsync(User(connection.Id) with { ExternalKey = "tid/oid-1" }, Ct));
        await Store.CreateUserAsync(User(other.Id) with { ExternalKey = "tid/oid-1" }, Ct);
    }

    [Fact]
    public async Task Users_are_found_by_email_and_username_ignoring_case_and_by_exact_external_key()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var other = await Store.CreateConnectionAsync(Connection(), Ct);
        var email = Unique("Mixed.Case") + "@Example.com";
        var user = await Store.CreateUserAsync(User(connection.Id, email) with { Username = "Ada_L", ExternalKey = "Tid/Oid" }, Ct);
        var twin = await Store.CreateUserAsync(User(other.Id, email.ToUpperInvariant()), Ct);

        var byEmail = await Store.FindUserByEmailAsync(connection.Id, email.ToLowerInvariant(), Ct);
        Assert.Equal(user.UserId, byEmail!.UserId);
        Assert.Equal(email, byEmail.Email);
        Assert.Null(await Store.FindUserByEmailAsync(Unique("con_"), email, Ct));
        Assert.Equal(user.UserId, (await Store.FindUserByUsernameAsync(connection.Id, "ada_l", Ct))!.UserId);
        Assert.Null(await Store.FindUserByUsernameAsync(connection.Id, "adaXl", Ct));
        Assert.Equal(user.UserId, (await Store.FindUserByExternalKeyAsync(connection.Id, "Tid/Oid", Ct))!.UserId);
        Assert.Null(await Store.FindUserByExternalKeyAsync(other.Id, "Tid/Oid", Ct));

        var everywhere = await Store.ListUsersByEmailAsync(email.ToUpperInvariant(), Ct);
        Assert.Equal([user.UserId, twin.UserId], everywhere.Select(u => u.UserId));
    }

    [Fact]
    public async Task User_update_moves_the_lookup_keys_and_refuses_a_taken_email()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var user = await Store.CreateUserAsync(User(connection.Id, "old@example.com"), Ct);
        await Store.CreateUserAsync(User(connection.Id, "taken@example.com"), Ct);

        var updated = await Store.UpdateUserAsync(user with { Email = "New@Example.com", LoginsCount = 4 }, Ct);
        Assert.Equal(2, updated.Version);
        Assert.Null(await Store.FindUserByEmailAsync(connection.Id, "old@example.com", Ct));
        AssertSame(updated, await Store.FindUserByEmailAsync(connection.Id, "new@example.com", Ct));

        await AssertStoreError(StoreError.AlreadyExists, () => Store.UpdateUserAsync(updated with { Email = "TAKEN@example.com" }, Ct));
        AssertSame(updated, await Store.GetUserAsync(user.UserId, Ct));
    }

    [Fact]
    public async Task User_update_from_a_stale_read_is_a_conflict_and_missing_users_are_not_found()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var user = await Store.CreateUserAsync(User(connection.Id), Ct);
        var readerA = (await Store.GetUserAsync(user.UserId, Ct))!;
        var readerB = (await Store.GetUserAsync(user.UserId, Ct))!;

        await Store.UpdateUserAsync(readerA with { Nickname = "a" }, Ct);
        await AssertStoreError(StoreError.Conflict, () => Store.UpdateUserAsync(readerB with { Nickname = "b" }, Ct));
        Assert.Equal("a", (await Store.GetUserAsync(user.UserId, Ct))!.Nickname);

        await Store.DeleteUserAsync(user.UserId, Ct);
        Assert.Null(await Store.GetUserAsync(user.UserId, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.DeleteUserAsync(user.UserId, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.UpdateUserAsync(readerA with { Version = 2 }, Ct));
    }

    [Fact]
    public async Task Parallel_increments_with_retry_on_conflict_lose_no_update()
    {
        const int Workers = 6;
        const int IncrementsEach = 5;
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var user = await Store.CreateUserAsync(User(connection.Id) with { LoginsCount = 0 }, Ct);
        var conflicts = 0;

        async Task IncrementAsync()
        {
            for (var i = 0; i < IncrementsEach; i++)
            {
                while (true)
                {
                    var current = (await Store.GetUserAsync(user.UserId, Ct))!;
                    try
                    {
                        await Store.UpdateUserAsync(current with { LoginsCount = current.LoginsCount + 1 }, Ct);
                        break;
                    }
                    catch (StoreException e) when (e.Error == StoreError.Conflict)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(IncrementAsync)));

        var final = (await Store.GetUserAsync(user.UserId, Ct))!;
        Assert.Equal(Workers * IncrementsEach, final.LoginsCount);
        Assert.Equal(1 + (Workers * IncrementsEach), final.Version);
    }

    [Fact]
    public async Task Parallel_creates_of_the_same_user_let_exactly_one_win()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var userId = Unique("auth0|");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(async () =>
        {
            try
            {
                await Store.CreateUserAsync(User(connection.Id, userId: userId), Ct);
                return "created";
            }
            catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
            {
                return "exists";
            }
        })));
        Assert.Single(outcomes, o => o == "created");
        Assert.Equal(4, outcomes.Count(o => o == "exists"));
    }
}

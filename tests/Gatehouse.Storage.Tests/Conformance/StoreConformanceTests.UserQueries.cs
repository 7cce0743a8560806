using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static Filter.Match Exact(string field, string value) => new(field, value, MatchKind.Exact);

    private static Filter.Match Prefix(string field, string value) => new(field, value, MatchKind.Prefix);

    private static Filter.Match Exists(string field) => new(field, "", MatchKind.Exists);

    /// <summary>A connection of its own with users named as given, so a search sees only this test's users.</summary>
    private async Task<(Connection Connection, List<User> Users)> SeedUsersAsync(params Func<User, User>[] shapes)
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var users = new List<User>();
        foreach (var shape in shapes)
            users.Add(await Store.CreateUserAsync(shape(User(connection.Id)), Ct));
        return (connection, users);
    }

    private async Task<List<string?>> SearchNamesAsync(Connection connection, Filter? filter, string? sort = null, bool descending = false) =>
        (await Store.ListUsersAsync(new UserQuery(filter, connection.Name, sort, descending, PageRequest.All), Ct))
            .Items.Select(u => u.Name).ToList();

    [Fact]
    public async Task User_search_matches_exact_values_ignoring_case()
    {
        var (connection, _) = await SeedUsersAsync(
            u => u with { Name = "Ada", Email = "Ada@Example.com" },
            u => u with { Name = "Grace", Email = "grace@example.com" },
            u => u with { Name = "Ada Byron", Email = "ada.byron@example.com" });

        Assert.Equal(["Ada"], await SearchNamesAsync(connection, Exact("email", "ADA@example.COM")));
        Assert.Equal(["Ada"], await SearchNamesAsync(connection, Exact("name", "ada")));
        Assert.Equal(["Ada", "Grace", "Ada Byron"], await SearchNamesAsync(connection, null));
    }

    [Fact]
    public async Task User_search_matches_prefixes_ignoring_case()
    {
        var (connection, _) = await SeedUsersAsync(
            u => u with { Name = "Ada", GivenName = "Ada", Nickname = "countess" },
            u => u with { Name = "Grace", GivenName = "Grace", Nickname = "amazing" },
            u => u with { Name = "Adam", GivenName = "Adam", Nickname = "COUNT" });

        Assert.Equal(["Ada", "Adam"], await SearchNamesAsync(connection, Prefix("given_name", "AD")));
        Assert.Equal(["Ada", "Adam"], await SearchNamesAsync(connection, Prefix("nickname", "count")));
        Assert.Empty(await SearchNamesAsync(connection, Prefix("name", "z")));
    }

    [Fact]
    public async Task User_search_combines_with_and_or_not()
    {
        var (connection, _) = await SeedUsersAsync(
            u => u with { Name = "Ada", FamilyName = "Lovelace", Blocked = false },
            u => u with { Name = "Grace", FamilyName = "Hopper", Blocked = true },
            u => u with { Name = "Alan", FamilyName = "Turing", Blocked = false, Nickname = null });

        Assert.Equal(["Ada"], await SearchNamesAsync(connection,
            new Filter.And(Prefix("name", "a"), Exact("family_name", "lovelace"))));
        Assert.Equal(["Ada", "Grace"], await SearchNamesAsync(connection,
            new Filter.Or(Exact("family_name", "hopper"), Exact("family_name", "LOVELACE"))));
        Assert.Equal(["Grace", "Alan"], await SearchNamesAsync(connection, new Filter.Not(Exact("name", "ada"))));
        Assert.Equal(["Alan"], await SearchNamesAsync(connection,
            new Filter.And(new Filter.Not(Exact("blocked", "true")), new Filter.Not(Prefix("family_name", "love")))));
        // NOT over an absent field includes the users who lack it.
        Assert.Equal(["Alan"], await SearchNamesAsync(connection, new Filter.Not(Prefix("nickname", "ad"))));
    }

    [Fact]
    public async Task User_search_exists_matches_present_non_empty_values()
    {
        var (connection, _) = await SeedUsersAsync(
            u => u with { Name = "With", Username = "with" },
            u => u with { Name = "Without", Username = null },
            u => u with { Name = "Empty", Username = "" });

        Assert.Equal(["With"], await SearchNamesAsync(connection, Exists("username")));
        Assert.Equal(["Without", "Empty"], await SearchNamesAsync(connection, new Filter.Not(Exists("username"))));
    }

    [Fact]
    public async Task User_search_treats_like_wildcards_in_values_literally()
    {
        var (connection, _) = await SeedUsersAsync(
            u => u with { Name = "100% real" },
            u => u with { Name = "100 percent" },
            u => u with { Name = "a_b" },
            u => u with { Name = "axb" },
            u => u with { Name = @"c\d" },
            u => u with { Name = "cd" });

        Assert.Equal(["100% real"], await SearchNamesAsync(connection, Prefix("name", "100%")));
        Assert.Equal(["a_b"], await SearchNamesAsync(connection, Prefix("name", "a_")));
        Assert.Equal(["a_b"], await SearchNamesAsync(connection, Exact("name", "a_b")));
        Assert.Equal([@"c\d"], await SearchNamesAsync(connection, Prefix("name", @"c\")));
        Assert.Empty(await SearchNamesAsync(connection, Prefix("name", "%")));
    }

    [Fact]
    public async Task User_search_folds_case_beyond_ascii()
    {
        var (connection, _) = await SeedUsersAsync(u => u with { Name = "Ångström", Email = "ÉLODIE@example.com" });
        Assert.Equal(["Ångström"], await SearchNamesAsync(connection, Exact("name", "ångström")));
        Assert.Equal(["Ångström"], await SearchNamesAsync(connection, Prefix("name", "ÅNG")));
        Assert.Equal(["Ångström"], await SearchNamesAsync(connection, Exact("email", "élodie@example.com")));
    }

    [Fact]
    public async Task User_search_on_flags_ids_and_connection()
    {
        var (connection, users) = await SeedUsersAsync(
            u => u with { Name = "Verified", EmailVerified = true, Blocked = false },
            u => u with { Name = "Blocked", EmailVerified = false, Blocked = true });
        var (otherConnection, _) = await SeedUsersAsync(u => u with { Name = "Elsewhere" });

        Assert.Equal(["Blocked"], await SearchNamesAsync(connection, Exact("blocked", "true")));
        Assert.Equal(["Verified"], await SearchNamesAsync(connection, Exact("email_verified", "TRUE")));
        Assert.Equal(["Blocked"], await SearchNamesAsync(connection, Exact("user_id", users[1].UserId.ToUpperInvariant())));

        var byConnection = await Store.ListUsersAsync(
            new UserQuery(Exact("identities.connection", otherConnection.Name.ToUpperInvariant()), null, null, false, PageRequest.All), Ct);
        Assert.Equal(["Elsewhere"], byConnection.Items.Select(u => u.Name));
        var byConnectionPrefix = await Store.ListUsersAsync(
            new UserQuery(Prefix("identities.connection", connection.Name), null, null, false, PageRequest.All), Ct);
        Assert.Equal(["Verified", "Blocked"], byConnectionPrefix.Items.Select(u => u.Name));
    }

    [Fact]
    public async Task User_search_rejects_unknown_fields_sort_keys_and_bad_flag_values()
    {
        var (connection, _) = await SeedUsersAsync(u => u);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => SearchNamesAsync(connection, Exact("shoe_size", "42")));
        Assert.Contains("shoe_size", unknown.Message, StringComparison.Ordinal);
        var badSort = await Assert.ThrowsAsync<ArgumentException>(() => SearchNamesAsync(connection, null, sort: "favourite_colour"));
        Assert.Contains("favourite_colour", badSort.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => SearchNamesAsync(connection, Exact("blocked", "maybe")));
        await Assert.ThrowsAsync<ArgumentException>(() => SearchNamesAsync(connection, Prefix("blocked", "t")));
    }

    [Fact]
    public async Task User_list_sorts_by_each_supported_field()
    {
        var (connection, _) = await SeedUsersAsync(
            u => u with { Name = "b", Email = "b@x.example", LoginsCount = 5, CreatedAt = T0.AddDays(2), UpdatedAt = T0.AddDays(1), LastLogin = null },
            u => u with { Name = "C", Email = "a@x.example", LoginsCount = 9, CreatedAt = T0, UpdatedAt = T0.AddDays(3), LastLogin = T0.AddHours(1) },
            u => u with { Name = "a", Email = null, LoginsCount = 1, CreatedAt = T0.AddDays(1), UpdatedAt = T0.AddDays(2), LastLogin = T0.AddHours(2) });

        Assert.Equal(["b", "C", "a"], await SearchNamesAsync(connection, null));
        Assert.Equal(["a", "C", "b"], await SearchNamesAsync(connection, null, descending: true));
        Assert.Equal(["C", "a", "b"], await SearchNamesAsync(connection, null, "created_at"));
        Assert.Equal(["C", "a", "b"], await SearchNamesAsync(connection, null, "updated_at", descending: true));
        Assert.Equal(["C", "b", "a"], await SearchNamesAsync(connection, null, "logins_count", descending: true));
        Assert.Equal(["a", "b", "C"], await SearchNamesAsync(connection, null, "name"));
        // Absent values sort last in both directions.
        Assert.Equal(["C", "a", "b"], await SearchNamesAsync(connection, null, "last_login"));
        Assert.Equal(["a", "C", "b"], await SearchNamesAsync(connection, null, "last_login", descending: true));
        Assert.Equal(["C", "b", "a"], await SearchNamesAsync(connection, null, "email"));
        Assert.Equal(["b", "C", "a"], await SearchNamesAsync(connection, null, "email", descending: true));
    }

    [Fact]
    public async Task User_list_pages_with_the_total_of_the_whole_search()
    {
        var (connection, users) = await SeedUsersAsync(
            u => u with { Name = "u1" }, u => u with { Name = "u2" }, u => u with { Name = "u3" },
            u => u with { Name = "u4" }, u => u with { Name = "u5" }, u => u with { Name = "other" });
        var filter = Prefix("name", "u");

        var pages = new List<Page<User>>();
        for (var page = 0; page < 4; page++)
            pages.Add(await Store.ListUsersAsync(new UserQuery(filter, connection.Name, null, false, new PageRequest(page, 2)), Ct));

        Assert.All(pages, p => Assert.Equal(5, p.Total));
        Assert.Equal([2, 2, 1, 0], pages.Select(p => p.Items.Count));
        Assert.Equal(users.Take(5).Select(u => u.UserId), pages.SelectMany(p => p.Items).Select(u => u.UserId));
    }
}

using System.Globalization;
using Gatehouse.AzureAd.Emulator;

namespace Gatehouse.Bench.Load.Hosts;

/// <summary>
/// The emulator's directory for the benchmark: its default seed plus a pool of plain users (so concurrent logins are
/// different people, as in life) and, for each group size asked for, a pool of users who belong to that many groups.
/// </summary>
public static class BenchSeed
{
    public const int PoolSize = 64;

    public static string PlainUser(int i) => string.Create(CultureInfo.InvariantCulture, $"bench-user-{i:D4}@contoso.com");

    public static string GroupUser(int groups, int i) => string.Create(CultureInfo.InvariantCulture, $"bench-g{groups}-{i:D4}@contoso.com");

    public static IReadOnlyList<string> PlainUsers => [.. Enumerable.Range(1, PoolSize).Select(PlainUser)];

    public static IReadOnlyList<string> GroupUsers(int groups) => [.. Enumerable.Range(1, PoolSize).Select(i => GroupUser(groups, i))];

    public static EmulatorSeed Build(IReadOnlyList<int> groupSizes)
    {
        ArgumentNullException.ThrowIfNull(groupSizes);
        var seed = EmulatorSeed.Default;
        var tenant = DemoDirectory.TenantId;
        var users = new List<SeedUser>(seed.Users);
        var n = 0;
        SeedUser User(string upn) => new()
        {
            Id = Guid(0xbe, ++n),
            TenantId = tenant,
            UserPrincipalName = upn,
            Password = DemoDirectory.PasswordOf(upn),
            DisplayName = upn.Split('@')[0],
            GivenName = "Bench",
            Surname = upn.Split('@')[0],
            Mail = upn,
        };
        users.AddRange(PlainUsers.Select(User));
        var members = new Dictionary<int, List<string>>();
        foreach (var size in groupSizes.Distinct())
        {
            var pool = GroupUsers(size).Select(User).ToList();
            users.AddRange(pool);
            members[size] = [.. pool.Select(u => u.Id)];
        }
        var groups = new List<SeedGroup>(seed.Groups);
        var most = groupSizes.Count == 0 ? 0 : groupSizes.Max();
        for (var g = 1; g <= most; g++)
        {
            groups.Add(new SeedGroup
            {
                Id = Guid(0xb9, g),
                TenantId = tenant,
                DisplayName = string.Create(CultureInfo.InvariantCulture, $"Bench group {g:D4}"),
                Members = [.. members.Where(m => g <= m.Key).SelectMany(m => m.Value)],
            });
        }
        return seed with { Users = users, Groups = groups };
    }

    public static string Write(string path, IReadOnlyList<int> groupSizes)
    {
        File.WriteAllText(path, SeedJson.Serialize(Build(groupSizes)));
        return path;
    }

    private static string Guid(int kind, int i) => string.Create(CultureInfo.InvariantCulture, $"{kind:x2}000000-0000-4000-8000-{i:x12}");
}

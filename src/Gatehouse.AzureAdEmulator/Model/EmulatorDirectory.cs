using Gatehouse.AzureAd.Emulator.Model;

namespace Gatehouse.AzureAd.Emulator;

/// <summary>
/// The emulated directory, changeable while the emulator runs. Every change produces a new seed that is
/// validated like a seed file (a mistake throws <see cref="SeedValidationException"/> and changes nothing)
/// and then replaces the current snapshot atomically.
/// </summary>
public sealed class EmulatorDirectory
{
    private readonly Lock _gate = new();
    private readonly EmulatorSeed _initial;
    private readonly TimeProvider _time;
    private volatile DirectorySnapshot _snapshot;

    internal EmulatorDirectory(EmulatorSeed seed, TimeProvider time)
    {
        SeedValidator.ThrowIfInvalid(seed);
        _initial = seed;
        _time = time;
        _snapshot = new DirectorySnapshot(seed, 1);
        Lockout = new SmartLockout(time);
    }

    /// <summary>The current directory as a seed document.</summary>
    public EmulatorSeed Seed => _snapshot.Seed;

    public EmulatorSettings Settings => _snapshot.Settings;

    internal DirectorySnapshot Snapshot => _snapshot;

    internal SmartLockout Lockout { get; }

    /// <summary>Applies a change to the whole seed; refused (unchanged) if the result is invalid.</summary>
    public void Update(Func<EmulatorSeed, EmulatorSeed> change)
    {
        lock (_gate)
        {
            var next = change(_snapshot.Seed);
            SeedValidator.ThrowIfInvalid(next);
            _snapshot = new DirectorySnapshot(next, _snapshot.Generation + 1);
        }
    }

    public void Replace(EmulatorSeed seed) => Update(_ => seed);

    /// <summary>Back to the seed the emulator started with, with no lockouts.</summary>
    public void Reset()
    {
        Replace(_initial);
        Lockout.Clear();
    }

    public void UpdateSettings(Func<EmulatorSettings, EmulatorSettings> change) =>
        Update(s => s with { Settings = change(s.Settings) });

    /// <summary>
    /// Adds a user, or replaces the user with the same id. A null password or refreshTokensValidFromDateTime keeps the
    /// current one; a new password revokes the user's refresh tokens, as a password change does at Entra (AADSTS50173).
    /// </summary>
    public void UpsertUser(SeedUser user) => Update(s =>
    {
        var existing = s.Users.FirstOrDefault(u => SameId(u.Id, user.Id));
        var merged = user;
        if (existing is not null)
        {
            var passwordChanged = user.Password is not null && user.Password != existing.Password;
            merged = user with
            {
                Password = user.Password ?? existing.Password,
                RefreshTokensValidFromDateTime = passwordChanged
                    ? _time.GetUtcNow()
                    : user.RefreshTokensValidFromDateTime ?? existing.RefreshTokensValidFromDateTime,
            };
        }
        return s with { Users = Upsert(s.Users, merged, u => SameId(u.Id, user.Id)) };
    });

    /// <summary>A password reset: the new password, and every refresh token issued before now refused (AADSTS50173).</summary>
    public void ResetPassword(string idOrUpn, string password) =>
        UpsertUser(FindSeedUser(Seed, idOrUpn) with { Password = password });

    /// <summary>Graph's revokeSignInSessions: refresh tokens issued before now are refused (AADSTS50173).</summary>
    public void RevokeSignInSessions(string idOrUpn) => Update(s =>
    {
        var user = FindSeedUser(s, idOrUpn);
        return s with { Users = Upsert(s.Users, user with { RefreshTokensValidFromDateTime = _time.GetUtcNow() }, u => u == user) };
    });

    /// <summary>accountEnabled: a disabled user's sign-ins and refresh tokens are refused (AADSTS50057).</summary>
    public void SetAccountEnabled(string idOrUpn, bool enabled) => Update(s =>
    {
        var user = FindSeedUser(s, idOrUpn);
        return s with { Users = Upsert(s.Users, user with { AccountEnabled = enabled }, u => u == user) };
    });

    /// <summary>Removes a user (by id or UPN) and its group memberships.</summary>
    public void RemoveUser(string idOrUpn) => Update(s =>
    {
        var user = FindSeedUser(s, idOrUpn);
        return s with
        {
            Users = s.Users.Where(u => u != user).ToList(),
            Groups = s.Groups.Select(g => g with { Members = g.Members.Where(m => !SameId(m, user.Id)).ToList() }).ToList(),
        };
    });

    public void UpsertGroup(SeedGroup group) =>
        Update(s => s with { Groups = Upsert(s.Groups, group, g => SameId(g.Id, group.Id)) });

    /// <summary>Adds a user or a group (by id) to a group's members, as Graph's <c>POST /groups/{id}/members/$ref</c>; already a member is no change.</summary>
    public void AddGroupMember(string groupId, string memberId) => Update(s =>
    {
        var group = s.Groups.FirstOrDefault(g => SameId(g.Id, groupId)) ?? throw NotFound($"group '{groupId}'");
        if (!s.Users.Any(u => SameId(u.Id, memberId)) && !s.Groups.Any(g => SameId(g.Id, memberId)))
            throw NotFound($"directory object '{memberId}'");
        return group.Members.Any(m => SameId(m, memberId))
            ? s
            : s with { Groups = Upsert(s.Groups, group with { Members = [.. group.Members, memberId] }, g => SameId(g.Id, groupId)) };
    });

    /// <summary>Removes a member from a group, as Graph's <c>DELETE /groups/{id}/members/{memberId}/$ref</c>.</summary>
    public void RemoveGroupMember(string groupId, string memberId) => Update(s =>
    {
        var group = s.Groups.FirstOrDefault(g => SameId(g.Id, groupId)) ?? throw NotFound($"group '{groupId}'");
        if (!group.Members.Any(m => SameId(m, memberId)))
            throw NotFound($"member '{memberId}' of group '{groupId}'");
        return s with { Groups = Upsert(s.Groups, group with { Members = group.Members.Where(m => !SameId(m, memberId)).ToList() }, g => SameId(g.Id, groupId)) };
    });

    /// <summary>Removes a group and its membership in other groups.</summary>
    public void RemoveGroup(string id) => Update(s =>
    {
        if (!s.Groups.Any(g => SameId(g.Id, id))) throw NotFound($"group '{id}'");
        return s with
        {
            Groups = s.Groups.Where(g => !SameId(g.Id, id))
                .Select(g => g with { Members = g.Members.Where(m => !SameId(m, id)).ToList() }).ToList(),
        };
    });

    public void UpsertApp(SeedApp app) =>
        Update(s => s with { Apps = Upsert(s.Apps, app, a => SameId(a.AppId, app.AppId)) });

    public void RemoveApp(string appId) => Update(s =>
    {
        if (!s.Apps.Any(a => SameId(a.AppId, appId))) throw NotFound($"app '{appId}'");
        return s with { Apps = s.Apps.Where(a => !SameId(a.AppId, appId)).ToList() };
    });

    public void UpsertTenant(SeedTenant tenant) =>
        Update(s => s with { Tenants = Upsert(s.Tenants, tenant, t => SameId(t.Id, tenant.Id)) });

    /// <summary>Unlocks a user: clears smart-lockout failures and the seed's <c>locked</c> flag.</summary>
    public void ResetLockout(string idOrUpn)
    {
        Update(s =>
        {
            var user = FindSeedUser(s, idOrUpn);
            return user.Locked ? s with { Users = Upsert(s.Users, user with { Locked = false }, u => u == user) } : s;
        });
        Lockout.Reset(FindSeedUser(Seed, idOrUpn).Id);
    }

    private static SeedUser FindSeedUser(EmulatorSeed s, string idOrUpn) =>
        s.Users.FirstOrDefault(u => SameId(u.Id, idOrUpn) || SameId(u.UserPrincipalName, idOrUpn))
        ?? throw NotFound($"user '{idOrUpn}'");

    private static List<T> Upsert<T>(IReadOnlyList<T> items, T item, Func<T, bool> same)
    {
        var list = items.ToList();
        var index = list.FindIndex(x => same(x));
        if (index >= 0) list[index] = item;
        else list.Add(item);
        return list;
    }

    private static bool SameId(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static SeedValidationException NotFound(string what) => new([new SeedError("$", $"{what} does not exist")]);
}

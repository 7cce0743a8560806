using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Shared;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Users;

/// <summary>
/// One user: the profile as the Management API shows it, identities, groups, logins; block, unblock, sign out
/// everywhere (every session and refresh token), delete.
/// </summary>
public sealed class UserDetailModel(IGatehouseStore store, UserAdmin admin, UserAccessRevocation revocation) : DashboardPageModel
{
    public User Profile { get; private set; } = null!;
    public string Json { get; private set; } = "";
    public IReadOnlyList<string> Groups { get; private set; } = [];
    public string? GroupsReason { get; private set; }
    public IReadOnlyList<LogEvent> RecentLogs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? id) => await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostBlockAsync(string? id, bool blocked)
    {
        if (!await LoadAsync(id))
            return NotFound();
        // The same change as PATCH /api/v2/users/{id} {"blocked": ...}: the next login of a blocked user is refused.
        await admin.UpdateAsync(Actor, Profile, new UserChanges { Blocked = blocked }, HttpContext.RequestAborted);
        Notice(blocked ? "User blocked." : "User unblocked.");
        return Redirect("/dashboard/users/detail?id=" + Uri.EscapeDataString(Profile.UserId));
    }

    public async Task<IActionResult> OnPostRevokeAccessAsync(string? id)
    {
        if (!await LoadAsync(id))
            return NotFound();
        // The same change as POST /api/v2/users/{id}/gatehouse/revoke-access: the browsers and apps must sign in again.
        var revoked = await revocation.RevokeAsync(Actor, Profile.UserId, HttpContext.RequestAborted);
        Notice($"Signed out everywhere: {revoked.Sessions} session(s) ended, {revoked.RefreshTokens} refresh token(s) revoked.");
        return Redirect("/dashboard/users/detail?id=" + Uri.EscapeDataString(Profile.UserId));
    }

    public async Task<IActionResult> OnPostDeleteAsync(string? id)
    {
        if (!await LoadAsync(id))
            return NotFound();
        await admin.DeleteAsync(Actor, Profile.UserId, HttpContext.RequestAborted);
        Notice($"User {Profile.Email ?? Profile.UserId} deleted.");
        return Redirect("/dashboard/users");
    }

    private async Task<bool> LoadAsync(string? id)
    {
        var ct = HttpContext.RequestAborted;
        if (id is null || id.Length > 512 || await store.GetUserAsync(id, ct) is not { } user)
            return false;
        Profile = user;
        var json = UserJson.Of(user);
        Json = json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Groups = json["groups"] is JsonArray groups ? groups.Select(g => g?.ToString() ?? "").ToList() : [];
        GroupsReason = json["groups_unavailable_reason"]?.ToString();
        RecentLogs = (await store.ListLogsAsync(new LogQuery(new Filter.Match("user_id", user.UserId, MatchKind.Exact), null, new PageRequest(0, 10)), ct)).Items;
        return true;
    }
}

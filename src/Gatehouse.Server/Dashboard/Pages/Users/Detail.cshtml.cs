using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Shared;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Users;

/// <summary>
/// One user: the profile as the Management API shows it, identities (unlink a linked account), roles (assign,
/// remove), groups, logins; block, unblock, sign out everywhere (every session and refresh token), delete. A linked
/// secondary account is no user of its own: not found here.
/// </summary>
public sealed class UserDetailModel(IGatehouseStore store, UserAdmin admin, RoleAdmin roles, IdentityAdmin identities,
    UserAccessRevocation revocation) : DashboardPageModel
{
    /// <summary>The most roles the page lists (and offers).</summary>
    public const int RolesShown = 100;

    public User Profile { get; private set; } = null!;
    public IReadOnlyList<Role> Roles { get; private set; } = [];
    public IReadOnlyList<Role> OtherRoles { get; private set; } = [];
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
        return Redirect(Here);
    }

    public async Task<IActionResult> OnPostAssignRoleAsync(string? id, string? roleId)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (string.IsNullOrEmpty(roleId))
        {
            Errors["roleId"] = "Choose a role.";
            return Page();
        }
        try
        {
            await roles.AssignRolesAsync(Actor, Profile.UserId, [roleId], HttpContext.RequestAborted);
        }
        catch (AdminException refusal) when (refusal.Refusal == AdminRefusal.NotFound)
        {
            Errors["roleId"] = "This role does not exist any more.";
            return Page();
        }
        Notice("Role assigned.");
        return Redirect(Here);
    }

    public async Task<IActionResult> OnPostRemoveRoleAsync(string? id, string? roleId)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (string.IsNullOrEmpty(roleId))
            return BadRequest();
        await roles.RemoveRolesAsync(Actor, Profile.UserId, [roleId], HttpContext.RequestAborted);
        Notice("Role removed.");
        return Redirect(Here);
    }

    /// <summary>The same change as DELETE /api/v2/users/{id}/identities/{provider}/{user_id}: the account is a user of its own again.</summary>
    public async Task<IActionResult> OnPostUnlinkAsync(string? id, string? provider, string? identityUserId)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (string.IsNullOrEmpty(provider) || string.IsNullOrEmpty(identityUserId))
            return BadRequest();
        try
        {
            await identities.UnlinkAsync(Actor, Profile.UserId, provider, identityUserId, HttpContext.RequestAborted);
        }
        catch (AdminException refusal) when (refusal.Refusal == AdminRefusal.Invalid)
        {
            Errors["identities"] = refusal.Message;
            return Page();
        }
        Notice($"Identity {provider}|{identityUserId} unlinked: it is a user of its own again.");
        return Redirect(Here);
    }

    private string Here => "/dashboard/users/detail?id=" + Uri.EscapeDataString(Profile.UserId);

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
        if (id is null || id.Length > 512 || await store.GetUserAsync(id, ct) is not { LinkedTo: null } user)
            return false;
        Profile = user;
        Roles = (await store.ListUserRolesAsync(user.UserId, new PageRequest(0, RolesShown), ct)).Items;
        var held = Roles.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        OtherRoles = (await store.ListRolesAsync(new RoleQuery(null, new PageRequest(0, RolesShown)), ct)).Items.Where(r => !held.Contains(r.Id)).ToList();
        var json = UserJson.Of(user);
        Json = json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Groups = json["groups"] is JsonArray groups ? groups.Select(g => g?.ToString() ?? "").ToList() : [];
        GroupsReason = json["groups_unavailable_reason"]?.ToString();
        RecentLogs = (await store.ListLogsAsync(new LogQuery(new Filter.Match("user_id", user.UserId, MatchKind.Exact), null, new PageRequest(0, 10)), ct)).Items;
        return true;
    }
}

using System.Text.Json.Nodes;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Shared;

/// <summary>
/// A user as Auth0's Management API shows it (GET /api/v2/users/{id}); the dashboard's user page and Try page show the
/// same JSON, so an administrator sees what an API caller would.
/// </summary>
internal static class UserJson
{
    public static JsonObject Of(User user)
    {
        var json = new JsonObject();
        // IdP root attributes first, so the normalized fields below win on a name clash.
        JsonNodes.Merge(json, user.Attributes);
        json["user_id"] = user.UserId;
        json["email"] = user.Email;
        json["email_verified"] = user.EmailVerified;
        if (user.Username is not null)
            json["username"] = user.Username;
        if (user.PhoneNumber is not null)
            json["phone_number"] = user.PhoneNumber;
        json["name"] = user.Name;
        json["nickname"] = user.Nickname;
        if (user.GivenName is not null)
            json["given_name"] = user.GivenName;
        if (user.FamilyName is not null)
            json["family_name"] = user.FamilyName;
        if (user.Picture is not null)
            json["picture"] = user.Picture;
        json["created_at"] = JsonNodes.Date(user.CreatedAt);
        json["updated_at"] = JsonNodes.Date(user.UpdatedAt);
        json["identities"] = Identities(user.Identities);
        json["user_metadata"] = JsonNodes.From(user.UserMetadata) ?? new JsonObject();
        json["app_metadata"] = JsonNodes.From(user.AppMetadata) ?? new JsonObject();
        if (user.LastLogin is { } lastLogin)
            json["last_login"] = JsonNodes.Date(lastLogin);
        if (user.LastIp is not null)
            json["last_ip"] = user.LastIp;
        json["logins_count"] = user.LoginsCount;
        if (user.LastPasswordReset is { } reset)
            json["last_password_reset"] = JsonNodes.Date(reset);
        json["blocked"] = user.Blocked;
        return json;
    }

    /// <summary>The identities array: the user's own first, then linked accounts with their profileData.</summary>
    public static JsonArray Identities(IEnumerable<UserIdentity> identities) => new([.. identities.Select(Identity)]);

    private static JsonNode Identity(UserIdentity identity)
    {
        var json = new JsonObject();
        if (JsonNodes.From(identity.ProfileData) is { } profile)
            json["profileData"] = profile;
        json["connection"] = identity.Connection;
        json["provider"] = identity.Provider;
        json["user_id"] = identity.UserId;
        json["isSocial"] = identity.IsSocial;
        // Gatehouse's own member: what the last recheck of the upstream session said (docs/waad.md). No token in it.
        if (identity.UpstreamCheck is { } check)
            json["gatehouse_upstream_check"] = new JsonObject
            {
                ["checked_at"] = JsonNodes.Date(check.CheckedAt),
                ["result"] = check.Result,
                ["confirmed_at"] = JsonNodes.Date(check.ConfirmedAt),
            };
        return json;
    }
}

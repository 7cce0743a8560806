using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Management;

/// <summary>Auth0's RBAC shapes: roles, permissions (with their sources for a user), and the bodies that carry them.</summary>
internal static class RbacJson
{
    /// <summary>The most items one body may carry (a bound on work per request).</summary>
    public const int MaxItems = 1000;

    public static JsonObject Role(Role role)
    {
        var json = new JsonObject { ["id"] = role.Id, ["name"] = role.Name };
        if (role.Description is not null)
            json["description"] = role.Description;
        return json;
    }

    public static JsonObject Permission(DescribedPermission described)
    {
        var json = new JsonObject { ["permission_name"] = described.Permission.PermissionName };
        if (described.Description is not null)
            json["description"] = described.Description;
        if (described.ResourceServerName is not null)
            json["resource_server_name"] = described.ResourceServerName;
        json["resource_server_identifier"] = described.Permission.ResourceServerIdentifier;
        return json;
    }

    /// <summary>One source of a user's permission: DIRECT (ids empty, as Auth0 shows them) or the ROLE that gives it.</summary>
    public static JsonObject Source(UserPermission source) => source.RoleId is null
        ? new JsonObject { ["source_id"] = "", ["source_name"] = "", ["source_type"] = "DIRECT" }
        : new JsonObject { ["source_id"] = source.RoleId, ["source_name"] = source.RoleName, ["source_type"] = "ROLE" };

    /// <summary>A role's member as Auth0 lists them: user_id, email, picture, name.</summary>
    public static JsonObject Member(User user)
    {
        var json = new JsonObject { ["user_id"] = user.UserId };
        if (user.Email is not null)
            json["email"] = user.Email;
        if (user.Picture is not null)
            json["picture"] = user.Picture;
        if (user.Name is not null)
            json["name"] = user.Name;
        return json;
    }

    /// <summary><c>{"permissions":[{resource_server_identifier, permission_name}]}</c>, at least one item.</summary>
    public static IReadOnlyList<Permission> Permissions(JsonBody body)
    {
        body.AllowOnly(["permissions"]);
        if (body.Raw("permissions") is not { } array || array.ValueKind == JsonValueKind.Null)
            throw JsonBody.Missing("permissions");
        if (array.ValueKind != JsonValueKind.Array)
            throw JsonBody.WrongType("permissions", "array", array);
        var result = new List<Permission>();
        foreach (var item in array.EnumerateArray())
        {
            var at = $"permissions[{result.Count}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw JsonBody.WrongType(at, "object", item);
            if (item.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n is not ("resource_server_identifier" or "permission_name")) is { } extra)
                throw ManagementException.BadBody($"Payload validation error: 'Additional properties not allowed: {extra}' on property {at}.");
            result.Add(new Permission(RequiredString(item, at, "resource_server_identifier", 600), RequiredString(item, at, "permission_name", 280)));
            if (result.Count > MaxItems)
                throw ManagementException.BadBody($"Payload validation error: 'Array is too long, maximum {MaxItems}' on property permissions.");
        }
        if (result.Count == 0)
            throw ManagementException.BadBody("Payload validation error: 'Array is too short (0), minimum 1' on property permissions.");
        return result;
    }

    /// <summary>A non-empty array of ids: <c>{"roles":[…]}</c> or <c>{"users":[…]}</c>.</summary>
    public static IReadOnlyList<string> Ids(JsonBody body, string name)
    {
        body.AllowOnly([name]);
        var ids = body.StringArray(name, MaxItems, 512) ?? throw JsonBody.Missing(name);
        if (ids.Count == 0)
            throw ManagementException.BadBody($"Payload validation error: 'Array is too short (0), minimum 1' on property {name}.");
        return ids;
    }

    private static string RequiredString(JsonElement item, string at, string name, int maxLength)
    {
        if (!item.TryGetProperty(name, out var value))
            throw ManagementException.BadBody($"Payload validation error: 'Missing required property: {name}' on property {at}.");
        if (value.ValueKind != JsonValueKind.String)
            throw JsonBody.WrongType($"{at}.{name}", "string", value);
        var text = value.GetString()!;
        if (text.Length == 0 || text.Length > maxLength)
            throw ManagementException.BadBody($"Payload validation error: 'String length must be 1..{maxLength}' on property {at}.{name}.");
        return text;
    }
}

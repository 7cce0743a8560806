using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.Management;

/// <summary>/api/v2/users/{id}/roles and /permissions: a user's roles and the permissions they hold, directly or through roles.</summary>
internal static class UserRolesApi
{
    public static void MapUserRoles(this RouteGroupBuilder api)
    {
        api.MapGet("/users/{id}/roles", async (string id, HttpContext context, RoleAdmin admin, IGatehouseStore store) =>
        {
            var ct = context.RequestAborted;
            var user = await admin.FindUserAsync(RouteIds.Decode(id), ct);
            var paging = Paging.From(context.Request);
            var page = await store.ListUserRolesAsync(user.UserId, paging.Request, ct);
            return paging.Result("roles", page.Items.Select(r => (JsonNode)RbacJson.Role(r)).ToList(), page.Total);
        }).WithSummary("Get a user's roles");

        api.MapPost("/users/{id}/roles", async (string id, HttpContext context, RoleAdmin admin) =>
        {
            var roles = RbacJson.Ids(await JsonBody.ReadAsync(context.Request), "roles");
            await admin.AssignRolesAsync(context.AdminActor(), RouteIds.Decode(id), roles, context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Assign roles to a user");

        api.MapDelete("/users/{id}/roles", async (string id, HttpContext context, RoleAdmin admin) =>
        {
            var roles = RbacJson.Ids(await JsonBody.ReadAsync(context.Request), "roles");
            await admin.RemoveRolesAsync(context.AdminActor(), RouteIds.Decode(id), roles, context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Remove roles from a user");

        api.MapGet("/users/{id}/permissions", async (string id, HttpContext context, RoleAdmin admin, IGatehouseStore store) =>
        {
            var ct = context.RequestAborted;
            var user = await admin.FindUserAsync(RouteIds.Decode(id), ct);
            var paging = Paging.From(context.Request);
            // One entry per permission, its sources beside it: direct and each role that gives it.
            var held = (await store.ListUserPermissionsAsync(user.UserId, ct)).GroupBy(p => p.Permission).ToList();
            var window = held.Skip(paging.Request.Offset).Take(paging.PerPage).ToList();
            var described = await admin.DescribeAsync(window.Select(g => g.Key).ToList(), ct);
            var items = window.Zip(described, (group, permission) =>
            {
                var json = RbacJson.Permission(permission);
                json["sources"] = new JsonArray([.. group.Select(s => (JsonNode)RbacJson.Source(s))]);
                return (JsonNode)json;
            }).ToList();
            return paging.Result("permissions", items, held.Count);
        }).WithSummary("Get a user's permissions");

        api.MapPost("/users/{id}/permissions", async (string id, HttpContext context, RoleAdmin admin) =>
        {
            var permissions = RbacJson.Permissions(await JsonBody.ReadAsync(context.Request));
            await admin.AddUserPermissionsAsync(context.AdminActor(), RouteIds.Decode(id), permissions, context.RequestAborted);
            return Results.Json(new JsonObject(), JsonDefaults.Options, statusCode: 201);
        }).WithSummary("Assign permissions to a user");

        api.MapDelete("/users/{id}/permissions", async (string id, HttpContext context, RoleAdmin admin) =>
        {
            var permissions = RbacJson.Permissions(await JsonBody.ReadAsync(context.Request));
            await admin.RemoveUserPermissionsAsync(context.AdminActor(), RouteIds.Decode(id), permissions, context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Remove permissions from a user");
    }
}

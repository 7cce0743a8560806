using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.Management;

/// <summary>/api/v2/roles: Auth0's roles, their permissions and their users (status codes as Auth0's recordings show).</summary>
internal static class RolesApi
{
    private static readonly string[] Fields = ["name", "description"];

    public static void MapRoles(this RouteGroupBuilder api)
    {
        api.MapGet("/roles", async (HttpContext context, IGatehouseStore store) =>
        {
            var paging = Paging.From(context.Request);
            var filter = context.Request.Query["name_filter"].ToString();
            if (filter.Length > 200)
                throw ManagementException.BadQuery("Query validation error: 'String is too long' on property name_filter.");
            var page = await store.ListRolesAsync(new RoleQuery(filter.Length == 0 ? null : filter, paging.Request), context.RequestAborted);
            return paging.Result("roles", page.Items.Select(r => (JsonNode)RbacJson.Role(r)).ToList(), page.Total);
        }).WithSummary("Get roles");

        api.MapPost("/roles", async (HttpContext context, RoleAdmin admin) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(Fields);
            var role = await admin.CreateAsync(context.AdminActor(), body.String("name", required: true, minLength: 1, maxLength: 200)!,
                body.String("description", maxLength: 2000), context.RequestAborted);
            return Results.Json(RbacJson.Role(role), JsonDefaults.Options); // Auth0 answers 200, not 201
        }).WithSummary("Create a role");

        api.MapGet("/roles/{id}", async (string id, HttpContext context, RoleAdmin admin) =>
            Results.Json(RbacJson.Role(await admin.FindAsync(RouteIds.Decode(id), context.RequestAborted)), JsonDefaults.Options))
            .WithSummary("Get a role");

        api.MapPatch("/roles/{id}", async (string id, HttpContext context, RoleAdmin admin) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(Fields);
            var name = body.String("name", minLength: 1, maxLength: 200);
            var description = body.String("description", maxLength: 2000);
            var current = await admin.FindAsync(RouteIds.Decode(id), context.RequestAborted);
            return Results.Json(RbacJson.Role(await admin.UpdateAsync(context.AdminActor(), current, name, description, context.RequestAborted)), JsonDefaults.Options);
        }).WithSummary("Update a role");

        api.MapDelete("/roles/{id}", async (string id, HttpContext context, RoleAdmin admin) =>
        {
            await admin.DeleteAsync(context.AdminActor(), RouteIds.Decode(id), context.RequestAborted);
            return Results.Json(new JsonObject(), JsonDefaults.Options); // Auth0 answers 200 {}
        }).WithSummary("Delete a role");

        api.MapGet("/roles/{id}/permissions", async (string id, HttpContext context, RoleAdmin admin, IGatehouseStore store) =>
        {
            var ct = context.RequestAborted;
            var role = await admin.FindAsync(RouteIds.Decode(id), ct);
            var paging = Paging.From(context.Request);
            var page = await store.ListRolePermissionsAsync(role.Id, paging.Request, ct);
            var described = await admin.DescribeAsync(page.Items, ct);
            return paging.Result("permissions", described.Select(p => (JsonNode)RbacJson.Permission(p)).ToList(), page.Total);
        }).WithSummary("Get a role's permissions");

        api.MapPost("/roles/{id}/permissions", async (string id, HttpContext context, RoleAdmin admin) =>
        {
            var permissions = RbacJson.Permissions(await JsonBody.ReadAsync(context.Request));
            await admin.AddRolePermissionsAsync(context.AdminActor(), RouteIds.Decode(id), permissions, context.RequestAborted);
            return Results.Json(new JsonObject(), JsonDefaults.Options, statusCode: 201);
        }).WithSummary("Add permissions to a role");

        api.MapDelete("/roles/{id}/permissions", async (string id, HttpContext context, RoleAdmin admin) =>
        {
            var permissions = RbacJson.Permissions(await JsonBody.ReadAsync(context.Request));
            await admin.RemoveRolePermissionsAsync(context.AdminActor(), RouteIds.Decode(id), permissions, context.RequestAborted);
            return Results.NoContent(); // Auth0's recordings: 204 (its OpenAPI says 200)
        }).WithSummary("Remove permissions from a role");

        api.MapGet("/roles/{id}/users", async (string id, HttpContext context, RoleAdmin admin, IGatehouseStore store) =>
        {
            var ct = context.RequestAborted;
            var role = await admin.FindAsync(RouteIds.Decode(id), ct);
            // With take (even beside include_totals) Auth0 answers in checkpoint form.
            var checkpoint = Checkpoint.Requested(context.Request) ? Checkpoint.From(context.Request) : null;
            var paging = Paging.From(context.Request);
            var page = await store.ListRoleUsersAsync(role.Id, checkpoint?.Request ?? paging.Request, ct);
            var items = page.Items.Select(u => (JsonNode)RbacJson.Member(u)).ToList();
            return checkpoint is not null ? checkpoint.Result("users", items, page.Total) : paging.Result("users", items, page.Total);
        }).WithSummary("Get a role's users");

        api.MapPost("/roles/{id}/users", async (string id, HttpContext context, RoleAdmin admin) =>
        {
            var users = RbacJson.Ids(await JsonBody.ReadAsync(context.Request), "users");
            await admin.AssignUsersAsync(context.AdminActor(), RouteIds.Decode(id), users, context.RequestAborted);
            return Results.Json(new JsonObject(), JsonDefaults.Options); // Auth0 answers 200 {}
        }).WithSummary("Assign users to a role");
    }
}

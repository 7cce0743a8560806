using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Management;

/// <summary>/api/v2/client-grants: which API scopes a client gets through client_credentials.</summary>
internal static class ClientGrantsApi
{
    public static void MapClientGrants(this RouteGroupBuilder api)
    {
        api.MapGet("/client-grants", async (HttpContext context, IGatehouseStore store) =>
        {
            var request = context.Request;
            var paging = Paging.From(request);
            var clientId = request.Query["client_id"].ToString() is { Length: > 0 } c ? c : null;
            var audience = request.Query["audience"].ToString() is { Length: > 0 } a ? a : null;
            var checkpoint = Checkpoint.Requested(request) ? Checkpoint.From(request) : null;
            var page = await store.ListClientGrantsAsync(new ClientGrantQuery(clientId, audience, checkpoint?.Request ?? paging.Request), context.RequestAborted);
            var items = FieldSelection.Apply(page.Items.Select(ToJson), request);
            return checkpoint is not null ? checkpoint.Result("client_grants", items, page.Total) : paging.Result("client_grants", items, page.Total);
        }).WithSummary("Get client grants");

        api.MapGet("/client-grants/{id}", async (string id, HttpContext context, ClientGrantAdmin admin) =>
            Results.Json(ToJson(await admin.FindAsync(id, context.RequestAborted))))
            .WithSummary("Get a client grant");

        api.MapPost("/client-grants", async (HttpContext context, ClientGrantAdmin admin) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(["client_id", "audience", "scope"]);
            var clientId = body.String("client_id", required: true, minLength: 1, maxLength: 128)!;
            var audience = body.String("audience", required: true, minLength: 1, maxLength: 600)!;
            var scope = body.StringArray("scope") ?? throw JsonBody.Missing("scope");
            var created = await admin.CreateAsync(context.AdminActor(), clientId, audience, scope, context.RequestAborted);
            return Results.Json(ToJson(created), statusCode: 201);
        }).WithSummary("Create client grant");

        api.MapPatch("/client-grants/{id}", async (string id, HttpContext context, ClientGrantAdmin admin) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(["scope"]);
            var grant = await admin.FindAsync(id, context.RequestAborted);
            if (body.StringArray("scope") is not { } scope)
                return Results.Json(ToJson(grant));
            return Results.Json(ToJson(await admin.UpdateScopeAsync(context.AdminActor(), grant, scope, context.RequestAborted)));
        }).WithSummary("Update client grant");

        api.MapDelete("/client-grants/{id}", async (string id, HttpContext context, ClientGrantAdmin admin) =>
        {
            await admin.DeleteAsync(context.AdminActor(), id, context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Delete client grant");
    }

    public static JsonObject ToJson(ClientGrant grant) => new()
    {
        ["id"] = grant.Id,
        ["client_id"] = grant.ClientId,
        ["audience"] = grant.Audience,
        ["scope"] = JsonNodes.Array(grant.Scope),
    };
}

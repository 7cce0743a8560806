using System.Text.Json.Nodes;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

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

        api.MapGet("/client-grants/{id}", async (string id, HttpContext context, IGatehouseStore store) =>
            Results.Json(ToJson(await Find(store, id, context.RequestAborted))))
            .WithSummary("Get a client grant");

        api.MapPost("/client-grants", async (HttpContext context, IGatehouseStore store) =>
        {
            var ct = context.RequestAborted;
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(["client_id", "audience", "scope"]);
            var clientId = body.String("client_id", required: true, minLength: 1, maxLength: 128)!;
            var audience = body.String("audience", required: true, minLength: 1, maxLength: 600)!;
            var scope = body.StringArray("scope") ?? throw JsonBody.Missing("scope");
            if (await store.GetClientAsync(clientId, ct) is null)
                throw ManagementException.NotFound($"No client found with id: {clientId}", "inexistent_client");
            var resourceServer = await store.GetResourceServerByIdentifierAsync(audience, ct)
                ?? throw ManagementException.NotFound($"No resource server found by identifier: {audience}", "inexistent_resource_server");
            var grant = new ClientGrant("cgr_" + Secrets.RandomAlphanumeric(16), clientId, audience, ValidScope(scope, resourceServer), 0);
            try
            {
                return Results.Json(ToJson(await store.CreateClientGrantAsync(grant, ct)), statusCode: 201);
            }
            catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
            {
                throw ManagementException.Conflict("A client grant for this client and audience already exists.");
            }
        }).WithSummary("Create client grant");

        api.MapPatch("/client-grants/{id}", async (string id, HttpContext context, IGatehouseStore store) =>
        {
            var ct = context.RequestAborted;
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(["scope"]);
            var grant = await Find(store, id, ct);
            if (body.StringArray("scope") is not { } scope)
                return Results.Json(ToJson(grant));
            var resourceServer = await store.GetResourceServerByIdentifierAsync(grant.Audience, ct)
                ?? throw ManagementException.NotFound($"No resource server found by identifier: {grant.Audience}", "inexistent_resource_server");
            return Results.Json(ToJson(await store.UpdateClientGrantAsync(grant with { Scope = ValidScope(scope, resourceServer) }, ct)));
        }).WithSummary("Update client grant");

        api.MapDelete("/client-grants/{id}", async (string id, HttpContext context, IGatehouseStore store) =>
        {
            await store.DeleteClientGrantAsync((await Find(store, id, context.RequestAborted)).Id, context.RequestAborted);
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

    private static async Task<ClientGrant> Find(IGatehouseStore store, string id, CancellationToken ct) =>
        (id.Length <= 128 ? await store.GetClientGrantAsync(id, ct) : null)
        ?? throw ManagementException.NotFound("The client grant does not exist", "inexistent_client_grant");

    private static List<string> ValidScope(IReadOnlyList<string> scope, ResourceServer resourceServer)
    {
        if (scope.FirstOrDefault(s => resourceServer.Scopes.All(d => d.Value != s)) is { } unknown)
            throw ManagementException.BadBody($"Payload validation error: 'Scope {unknown} is not defined by the resource server {resourceServer.Identifier}' on property scope.");
        return scope.Distinct(StringComparer.Ordinal).ToList();
    }
}

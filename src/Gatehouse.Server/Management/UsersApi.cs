using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Users;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Management;

/// <summary>/api/v2/users. Creating users works for connections that keep users (database connections).</summary>
internal static class UsersApi
{
    private static readonly string[] CreateFields =
    [
        "connection", "email", "username", "password", "email_verified", "verify_email", "user_id", "name", "given_name",
        "family_name", "nickname", "picture", "blocked", "user_metadata", "app_metadata",
    ];

    private static readonly string[] UpdateFields =
    [
        "email_verified", "password", "name", "given_name", "family_name", "nickname", "picture", "blocked", "user_metadata",
        "app_metadata", "verify_email", "connection",
    ];

    public static void MapUsers(this RouteGroupBuilder api)
    {
        api.MapGet("/users", async (HttpContext context, IGatehouseStore store) =>
        {
            var request = context.Request;
            var paging = Paging.From(request);
            var (sortField, descending) = Sort(request.Query["sort"].ToString());
            var query = new UserQuery(UserSearch.Parse(request.Query["q"].ToString()),
                request.Query["connection"].ToString() is { Length: > 0 } c ? c : null, sortField, descending, paging.Request);
            Page<User> page;
            try
            {
                page = await store.ListUsersAsync(query, context.RequestAborted);
            }
            catch (ArgumentException e)
            {
                throw ManagementException.BadQuery($"Query validation error: '{e.Message}' on property q.");
            }
            return paging.Result("users", FieldSelection.Apply(page.Items.Select(UserJson.Of), request), page.Total);
        }).WithSummary("Get users");

        api.MapGet("/users/{id}", async (string id, HttpContext context, IGatehouseStore store, ISecretProtector protector) =>
        {
            var user = await Find(store, id, context.RequestAborted);
            var json = UserJson.Of(user);
            if (context.CallerHas("read:user_idp_tokens") && AddUpstreamTokens(json, user, protector))
                await ManagementAudit.SecretReadAsync(context, "Read user identity provider tokens");
            return Results.Json(FieldSelection.Apply(json, context.Request));
        }).WithSummary("Get a user");

        api.MapGet("/users-by-email", async (HttpContext context, IGatehouseStore store) =>
        {
            var email = context.Request.Query["email"].ToString();
            if (email.Length == 0)
                throw ManagementException.BadQuery("Query validation error: 'Missing required property: email' on property email.");
            if (email.Length > 254)
                throw ManagementException.BadQuery("Query validation error: 'String is too long' on property email.");
            var users = await store.ListUsersByEmailAsync(email, context.RequestAborted);
            return Results.Json(new JsonArray([.. FieldSelection.Apply(users.Select(UserJson.Of), context.Request)]));
        }).WithSummary("Search users by email");

        api.MapGet("/users/{id}/logs", async (string id, HttpContext context, IGatehouseStore store) =>
        {
            var user = await Find(store, id, context.RequestAborted);
            var paging = Paging.From(context.Request);
            var oldestFirst = LogsApi.OldestFirst(context.Request.Query["sort"].ToString());
            var query = new LogQuery(new Filter.Match("user_id", user.UserId, MatchKind.Exact), null, paging.Request) { OldestFirst = oldestFirst };
            var page = await store.ListLogsAsync(query, context.RequestAborted);
            return paging.Result("logs", page.Items.Select(l => (JsonNode)LogJson.Of(l)).ToList(), page.Total);
        }).WithSummary("Get a user's log events");

        api.MapPost("/users", async (HttpContext context, UserAdmin admin) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(CreateFields);
            var connectionName = body.String("connection", required: true, minLength: 1, maxLength: 128)!;
            body.Bool("verify_email");
            var draft = new DatabaseUserDraft(body.String("email", maxLength: 254), body.String("username", maxLength: 128),
                body.String("password", maxLength: 256) ?? throw JsonBody.Missing("password"))
            {
                UserId = body.String("user_id", maxLength: 255),
                EmailVerified = body.Bool("email_verified") ?? false,
                Name = body.String("name", maxLength: 300),
                GivenName = body.String("given_name", maxLength: 150),
                FamilyName = body.String("family_name", maxLength: 150),
                Nickname = body.String("nickname", maxLength: 300),
                Picture = body.String("picture", maxLength: 2000),
                Blocked = body.Bool("blocked") ?? false,
                UserMetadata = body.Object("user_metadata"),
                AppMetadata = body.Object("app_metadata"),
            };
            var created = await admin.CreateAsync(context.AdminActor(), connectionName, draft, context.RequestAborted);
            return Results.Json(UserJson.Of(created), statusCode: 201);
        }).WithSummary("Create a user");

        api.MapPatch("/users/{id}", async (string id, HttpContext context, UserAdmin admin) =>
        {
            var ct = context.RequestAborted;
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(UpdateFields);
            context.RequireFieldScopes(body); // update:users_app_metadata reaches the metadata only
            body.Bool("verify_email");
            body.String("connection");
            var user = await admin.FindAsync(RouteIds.Decode(id), ct);
            var changes = new UserChanges
            {
                Password = body.String("password", maxLength: 256),
                EmailVerified = body.Bool("email_verified"),
                Name = body.String("name", maxLength: 300),
                GivenName = body.String("given_name", maxLength: 150),
                FamilyName = body.String("family_name", maxLength: 150),
                Nickname = body.String("nickname", maxLength: 300),
                Picture = body.String("picture", maxLength: 2000),
                Blocked = body.Bool("blocked"),
                UserMetadata = body.Object("user_metadata") is { } um ? JsonNodes.MergeObjects(user.UserMetadata, um) : null,
                AppMetadata = body.Object("app_metadata") is { } am ? JsonNodes.MergeObjects(user.AppMetadata, am) : null,
            };
            return Results.Json(UserJson.Of(await admin.UpdateAsync(context.AdminActor(), user, changes, ct)));
        }).WithSummary("Update a user");

        api.MapDelete("/users/{id}", async (string id, HttpContext context, UserAdmin admin) =>
        {
            await admin.DeleteAsync(context.AdminActor(), RouteIds.Decode(id), context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Delete a user");
    }

    /// <summary>
    /// With read:user_idp_tokens the identities carry the upstream access/refresh tokens Gatehouse keeps (encrypted);
    /// returns whether any was shown.
    /// </summary>
    private static bool AddUpstreamTokens(JsonObject json, User user, ISecretProtector protector)
    {
        var shown = false;
        var identities = json["identities"]!.AsArray();
        for (var i = 0; i < user.Identities.Count && i < identities.Count; i++)
        {
            var identity = user.Identities[i];
            foreach (var (name, value, purpose) in new[]
            {
                ("access_token", identity.AccessTokenProtected, UpstreamTokenPurposes.AccessToken),
                ("refresh_token", identity.RefreshTokenProtected, UpstreamTokenPurposes.RefreshToken),
            })
            {
                if (value is null)
                    continue;
                try
                {
                    identities[i]![name] = protector.Unprotect(value, purpose);
                    shown = true;
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    // Encrypted under a key Gatehouse no longer has: left out rather than shown scrambled.
                }
                catch (FormatException)
                {
                }
            }
        }
        return shown;
    }

    private static Task<User> Find(IGatehouseStore store, string id, CancellationToken ct) =>
        UserLookup.FindAsync(store, RouteIds.Decode(id), ct);

    private static (string? Field, bool Descending) Sort(string sort)
    {
        if (sort.Length == 0)
            return (null, false);
        var parts = sort.Split(':');
        if (parts.Length != 2 || parts[1] is not ("1" or "-1") || parts[0].Length is 0 or > 64)
            throw ManagementException.BadQuery("Query validation error: 'String does not match pattern ^(([a-zA-Z0-9_\\.]+))\\:(1|-1)$' on property sort.");
        return (parts[0], parts[1] == "-1");
    }
}

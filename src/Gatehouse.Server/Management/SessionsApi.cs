using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Sessions;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Management;

/// <summary>
/// Auth0's session endpoints: GET|DELETE /sessions/{id} and GET|DELETE /users/{id}/sessions (read:sessions,
/// delete:sessions), DELETE /users/{id}/refresh-tokens, and Gatehouse's POST /users/{id}/gatehouse/revoke-access that
/// does both at once. A session's id is its public id (the <c>sid</c>), never the cookie's secret.
/// </summary>
internal static class SessionsApi
{
    public static void MapSessions(this RouteGroupBuilder api)
    {
        api.MapGet("/sessions/{id}", async (string id, HttpContext context, SessionAdmin admin) =>
            Results.Json(ToJson(await admin.GetAsync(id, context.RequestAborted)))).WithSummary("Get a session").WithTags("Sessions");

        api.MapDelete("/sessions/{id}", async (string id, HttpContext context, SessionAdmin admin) =>
        {
            await admin.DeleteAsync(context.AdminActor(), id, context.RequestAborted);
            return Results.Ok();
        }).WithSummary("Delete a session").WithTags("Sessions");

        api.MapGet("/users/{id}/sessions", async (string id, HttpContext context, SessionAdmin admin) =>
        {
            var sessions = await admin.ListForUserAsync(id, context.RequestAborted);
            return Results.Json(new JsonObject { ["sessions"] = new JsonArray([.. sessions.Select(ToJson)]) });
        }).WithSummary("Get a user's sessions").WithTags("Sessions");

        api.MapDelete("/users/{id}/sessions", async (string id, HttpContext context, SessionAdmin admin) =>
        {
            await admin.DeleteForUserAsync(context.AdminActor(), id, context.RequestAborted);
            return Results.Accepted();
        }).WithSummary("Delete a user's sessions").WithTags("Sessions");

        // Auth0's endpoint: every refresh token of the user, whichever client and grant issued it.
        api.MapDelete("/users/{id}/refresh-tokens", async (string id, HttpContext context, RefreshTokenAdmin admin) =>
        {
            await admin.RevokeForUserAsync(context.AdminActor(), id, context.RequestAborted);
            return Results.Accepted();
        }).WithSummary("Delete a user's refresh tokens").WithTags("Sessions");

        // Gatehouse's own (Auth0 needs the two calls above): sessions and refresh tokens in one call, both scopes needed.
        api.MapPost("/users/{id}" + UserAccessRevocation.PathSuffix, async (string id, HttpContext context, UserAccessRevocation revocation) =>
        {
            var revoked = await revocation.RevokeAsync(context.AdminActor(), id, context.RequestAborted);
            return Results.Json(new JsonObject { ["sessions"] = revoked.Sessions, ["refresh_tokens"] = revoked.RefreshTokens });
        }).WithSummary("Revoke a user's sessions and refresh tokens (Gatehouse)").WithTags("Sessions");
    }

    /// <summary>Auth0's session object; the methods say how the user authenticated (a connection each).</summary>
    public static JsonObject ToJson(SsoSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new JsonObject
        {
            ["id"] = session.Id,
            ["user_id"] = session.UserId,
            ["created_at"] = JsonNodes.Date(session.CreatedAt),
            ["updated_at"] = JsonNodes.Date(session.LastInteractionAt),
            ["authenticated_at"] = JsonNodes.Date(session.AuthenticatedAt),
            ["idle_expires_at"] = JsonNodes.Date(session.IdleExpiresAt),
            ["expires_at"] = JsonNodes.Date(session.ExpiresAt),
            ["last_interacted_at"] = JsonNodes.Date(session.LastInteractionAt),
            ["device"] = new JsonObject
            {
                ["initial_user_agent"] = session.UserAgent,
                ["initial_ip"] = session.Ip,
            },
            ["clients"] = new JsonArray([.. session.Clients.Select(c => (JsonNode)new JsonObject { ["client_id"] = c })]),
            ["authentication"] = new JsonObject
            {
                ["methods"] = new JsonArray([.. session.Connections.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c,
                    ["timestamp"] = JsonNodes.Date(session.AuthenticatedAt),
                })]),
            },
            ["cookie"] = new JsonObject { ["mode"] = "persistent" },
        };
    }
}

using System.Text.Json;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Tokens;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Management;

/// <summary>
/// /api/v2/users/{id}/identities: Auth0's account linking. update:users links and unlinks any user; a token with only
/// update:current_user_identities reaches the user it was issued for, and links only with <c>link_with</c> (an
/// id_token of the secondary user issued to the calling client), as Auth0's client-side linking does.
/// </summary>
internal static class UserIdentitiesApi
{
    public static void MapUserIdentities(this RouteGroupBuilder api)
    {
        api.MapPost("/users/{id}/identities", async (string id, HttpContext context, IdentityAdmin admin, AccessTokenValidator tokens) =>
        {
            var ct = context.RequestAborted;
            var primaryId = RouteIds.Decode(id);
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(["provider", "user_id", "connection_id", "link_with"]);
            var linkWith = body.String("link_with", maxLength: 16 * 1024);
            RequireReach(context, primaryId, serverSide: linkWith is null);
            string provider, userId;
            string? connectionId = null;
            if (linkWith is not null)
            {
                if (body.Has("provider") || body.Has("user_id") || body.Has("connection_id"))
                    throw ManagementException.BadBody("Payload validation error: 'link_with cannot be sent with provider, user_id or connection_id'.");
                var (subject, error) = await tokens.ValidateIdTokenAsync(linkWith, context.Caller().ClientId ?? "", ct);
                if (subject?.Split('|', 2) is not [var p, var u])
                    throw ManagementException.BadBody($"Payload validation error: 'link_with is not an id_token of this client: {error ?? "Invalid token"}' on property link_with.");
                (provider, userId) = (p, u);
            }
            else
            {
                provider = body.String("provider", required: true, minLength: 1, maxLength: 64)!;
                userId = UserIdOf(body);
                connectionId = body.String("connection_id", minLength: 1, maxLength: 64);
            }
            var identities = await admin.LinkAsync(context.AdminActor(), primaryId, provider, userId, connectionId, ct);
            return Results.Json(UserJson.Identities(identities), JsonDefaults.Options, statusCode: 201);
        }).WithSummary("Link a user account");

        api.MapDelete("/users/{id}/identities/{provider}/{user_id}", async (string id, string provider, string user_id, HttpContext context, IdentityAdmin admin) =>
        {
            var primaryId = RouteIds.Decode(id);
            RequireReach(context, primaryId, serverSide: false);
            var (decodedProvider, decodedUserId) = (RouteIds.Decode(provider), RouteIds.Decode(user_id));
            if (decodedProvider.Length > 64 || decodedUserId.Length > 512)
                throw ManagementException.BadBody("Path validation error: 'String is too long' on property user_id.");
            var identities = await admin.UnlinkAsync(context.AdminActor(), primaryId, decodedProvider, decodedUserId, context.RequestAborted);
            return Results.Json(UserJson.Identities(identities), JsonDefaults.Options);
        }).WithSummary("Unlink a user identity");
    }

    /// <summary>
    /// update:users reaches every user. update:current_user_identities only the token's own user, and never the
    /// server-side body (provider and user_id name any account; link_with proves the caller holds the other one).
    /// </summary>
    private static void RequireReach(HttpContext context, string primaryId, bool serverSide)
    {
        if (context.CallerHas("update:users"))
            return;
        if (serverSide || !string.Equals(context.Caller().Subject, primaryId, StringComparison.Ordinal))
            throw ManagementException.Forbidden("Insufficient scope, expected any of: update:users", "insufficient_scope");
    }

    /// <summary>Auth0 takes user_id as a string or a number.</summary>
    private static string UserIdOf(JsonBody body) => body.Raw("user_id") switch
    {
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt64(out var n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => body.String("user_id", required: true, minLength: 1, maxLength: 512)!,
    };
}

using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Management;

/// <summary>/api/v2/keys/signing: list the signing keys, rotate them, revoke a rotated-out one.</summary>
internal static class SigningKeysApi
{
    public static void MapSigningKeys(this RouteGroupBuilder api)
    {
        api.MapGet("/keys/signing", async (HttpContext context, IGatehouseStore store, TimeProvider time) =>
        {
            var keys = await store.ListSigningKeysAsync(context.RequestAborted);
            return Results.Json(new JsonArray([.. keys.Reverse().Select(k => (JsonNode)ToJson(k, keys, time.GetUtcNow()))]));
        }).WithSummary("Get all application signing keys");

        api.MapGet("/keys/signing/{kid}", async (string kid, HttpContext context, IGatehouseStore store, SigningKeyAdmin admin, TimeProvider time) =>
        {
            var key = await admin.FindAsync(kid, context.RequestAborted);
            return Results.Json(ToJson(key, await store.ListSigningKeysAsync(context.RequestAborted), time.GetUtcNow()));
        }).WithSummary("Get an application signing key by its key id");

        api.MapPost("/keys/signing/rotate", async (HttpContext context, SigningKeyAdmin admin) =>
        {
            var rotated = await admin.RotateAsync(context.AdminActor(), context.RequestAborted);
            return Results.Json(new JsonObject { ["cert"] = rotated.Record.CertificatePem, ["kid"] = rotated.Kid }, statusCode: 201);
        }).WithSummary("Rotate the application signing key");

        api.MapPut("/keys/signing/{kid}/revoke", async (string kid, HttpContext context, SigningKeyAdmin admin) =>
        {
            var revoked = await admin.RevokeAsync(context.AdminActor(), kid, context.RequestAborted);
            return Results.Json(new JsonObject { ["cert"] = revoked.CertificatePem, ["kid"] = revoked.Kid });
        }).WithSummary("Revoke an application signing key by its key id");
    }

    private static JsonObject ToJson(SigningKey key, IReadOnlyList<SigningKey> all, DateTimeOffset now)
    {
        using var certificate = X509Certificate2.CreateFromPem(key.CertificatePem);
        var previous = all.Where(k => !k.Current && k.RevokedAt is not null).MaxBy(k => k.RevokedAt);
        var expired = key.PublishUntil is { } until && until <= now;
        var json = new JsonObject
        {
            ["kid"] = key.Kid,
            ["cert"] = key.CertificatePem,
            ["fingerprint"] = string.Join(':', Convert.ToHexString(certificate.GetCertHash()).Chunk(2).Select(c => new string(c))),
            ["thumbprint"] = Convert.ToHexStringLower(certificate.GetCertHash()),
            ["current"] = key.Current,
            ["next"] = key.Next,
            ["previous"] = ReferenceEquals(key, previous) && !expired,
            ["current_since"] = JsonNodes.Date(key.CreatedAt),
            ["revoked"] = expired,
        };
        if (key.RevokedAt is { } revokedAt)
            json["current_until"] = JsonNodes.Date(revokedAt);
        if (expired)
            json["revoked_at"] = JsonNodes.Date(key.PublishUntil);
        return json;
    }
}

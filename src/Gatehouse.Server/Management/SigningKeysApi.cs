using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tokens;

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

        api.MapGet("/keys/signing/{kid}", async (string kid, HttpContext context, IGatehouseStore store, TimeProvider time) =>
        {
            var keys = await store.ListSigningKeysAsync(context.RequestAborted);
            var key = keys.FirstOrDefault(k => k.Kid == kid) ?? throw ManagementException.NotFound("The signing key does not exist.", "inexistent_signing_key");
            return Results.Json(ToJson(key, keys, time.GetUtcNow()));
        }).WithSummary("Get an application signing key by its key id");

        api.MapPost("/keys/signing/rotate", async (HttpContext context, IGatehouseStore store, SigningKeyService keys, TokenOptions options) =>
        {
            var window = await PublishWindowAsync(store, options, context.RequestAborted);
            var rotated = await keys.RotateAsync(window, context.RequestAborted);
            return Results.Json(new JsonObject { ["cert"] = rotated.Record.CertificatePem, ["kid"] = rotated.Kid }, statusCode: 201);
        }).WithSummary("Rotate the application signing key");

        api.MapPut("/keys/signing/{kid}/revoke", async (string kid, HttpContext context, IGatehouseStore store, SigningKeyService keys) =>
        {
            var key = (await store.ListSigningKeysAsync(context.RequestAborted)).FirstOrDefault(k => k.Kid == kid)
                ?? throw ManagementException.NotFound("The signing key does not exist.", "inexistent_signing_key");
            // As in Auth0, the key in use is never revoked on its own: rotate first, then revoke the previous key.
            if (key.Current)
                throw new ManagementException(400, "The current signing key cannot be revoked: rotate the signing key first, then revoke the previous one.", "invalid_request");
            var revoked = await keys.RevokeAsync(key, context.RequestAborted);
            return Results.Json(new JsonObject { ["cert"] = revoked.CertificatePem, ["kid"] = revoked.Kid });
        }).WithSummary("Revoke an application signing key by its key id");
    }

    /// <summary>How long the outgoing key stays published: until the longest-lived token it may have signed expires.</summary>
    public static async Task<TimeSpan> PublishWindowAsync(IGatehouseStore store, TokenOptions options, CancellationToken ct)
    {
        var apis = (await store.ListResourceServersAsync(PageRequest.All, ct)).Items;
        var clients = (await store.ListClientsAsync(PageRequest.All, ct)).Items;
        var longest = new[] { options.IdTokenLifetimeSeconds, options.DefaultAccessTokenLifetimeSeconds }
            .Concat(apis.Select(a => a.TokenLifetime))
            .Concat(clients.Select(IdTokenLifetime))
            .Max();
        return TimeSpan.FromSeconds(Math.Min(longest, options.MaxAccessTokenLifetimeSeconds));
    }

    private static int IdTokenLifetime(Client client) =>
        client.Extra is { ValueKind: JsonValueKind.Object } extra && extra.TryGetProperty("jwt_configuration", out var jwt)
        && jwt.ValueKind == JsonValueKind.Object && jwt.TryGetProperty("lifetime_in_seconds", out var l) && l.TryGetInt32(out var s) ? s : 0;

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

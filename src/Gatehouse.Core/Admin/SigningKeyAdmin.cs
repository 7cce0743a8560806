using System.Text.Json;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Core.Admin;

/// <summary>
/// Rotating and revoking the signing keys, from any door: the outgoing key stays published as long as a token it signed
/// may live, the key in use is never revoked on its own, and each change is one audit event naming the actor.
/// </summary>
public sealed class SigningKeyAdmin(IGatehouseStore store, SigningKeyService keys, TokenOptions options, AdminAudit audit)
{
    public async Task<SigningKey> FindAsync(string kid, CancellationToken ct) =>
        (await store.ListSigningKeysAsync(ct)).FirstOrDefault(k => k.Kid == kid)
        ?? throw AdminException.NotFound("The signing key does not exist.", "inexistent_signing_key");

    /// <summary>Makes a new key current; the previous one stays published for <see cref="PublishWindowAsync"/>.</summary>
    public async Task<SigningKeyMaterial> RotateAsync(AdminActor actor, CancellationToken ct)
    {
        var rotated = await keys.RotateAsync(await PublishWindowAsync(ct), ct);
        await audit.RecordAsync(actor, new AdminChange("Rotate the application signing key", "post", "/api/v2/keys/signing/rotate", 201), ct);
        return rotated;
    }

    /// <summary>Revokes a rotated-out key. As in Auth0, the key in use is never revoked on its own: rotate first.</summary>
    public async Task<SigningKey> RevokeAsync(AdminActor actor, string kid, CancellationToken ct)
    {
        var key = await FindAsync(kid, ct);
        if (key.Current)
        {
            const string message = "The current signing key cannot be revoked: rotate the signing key first, then revoke the previous one.";
            throw new AdminException(AdminRefusal.Invalid, message, "invalid_request", [new AdminProblem("kid", message)]);
        }
        var revoked = await keys.RevokeAsync(key, ct);
        await audit.RecordAsync(actor, new AdminChange("Revoke an application signing key by its key id", "put", $"/api/v2/keys/signing/{kid}/revoke"), ct);
        return revoked;
    }

    /// <summary>How long the outgoing key stays published: until the longest-lived token it may have signed expires.</summary>
    public async Task<TimeSpan> PublishWindowAsync(CancellationToken ct)
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
}

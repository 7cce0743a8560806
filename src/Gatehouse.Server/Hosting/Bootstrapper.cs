using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Admin;
using Gatehouse.Server.Management;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Hosting;

/// <summary>The management client's credentials, as written to bootstrap.json.</summary>
public sealed record ManagementCredentials(string ClientId, string ClientSecret, string Audience);

/// <summary>
/// First start: tenant settings, the Management API (a system resource server at {issuer}api/v2/), and a
/// "Gatehouse Management" M2M client granted every management scope, whose credentials go once to
/// &lt;data-dir&gt;/bootstrap.json (mode 600). Every start: keep the Management API's identifier (and grants)
/// in step with the issuer, which changes when the public URL does, and the bootstrap client's grant whole.
/// The bootstrap client is known by its id, kept in the system resource server (which no Management API call can
/// change), never by anything a caller can write: a client that merely calls itself the management client gets nothing.
/// Every write goes through the admin layer as <see cref="Actor"/>, so each change is audited naming the system.
/// </summary>
public sealed class Bootstrapper(IGatehouseStore store, ISecretProtector protector, TenantIssuer issuer, GatehouseSettings settings,
    ClientAdmin clients, ClientGrantAdmin grants, ResourceServerAdmin resourceServers, TenantSettingsAdmin tenant, ILogger<Bootstrapper> log)
{
    public static readonly AdminActor Actor = AdminActor.System("bootstrap");

    public const string BootstrapFileName = "bootstrap.json";

    /// <summary>Where the system resource server's Extra keeps the bootstrap client's id (never shown by the API).</summary>
    public const string ClientIdKey = "gatehouse_bootstrap_client_id";

    private const string RoleKey = "gatehouse_role";
    private const string ManagementRole = "management";

    public async Task<ManagementCredentials> RunAsync(CancellationToken ct)
    {
        if (await store.GetTenantSettingsAsync(ct) is null)
            await tenant.UpdateAsync(Actor, new TenantSettingsChanges { FriendlyName = "Gatehouse" }, ct);

        var audience = issuer.ManagementAudience;
        var (system, newScopes) = await EnsureManagementApiAsync(audience, ct);
        var client = await FindBootstrapClientAsync(system, ct);
        if (client is null)
        {
            var draft = new ClientDraft("Gatehouse Management")
            {
                AppType = "non_interactive",
                GrantTypes = [GrantTypes.ClientCredentials],
                Extra = RoleMetadata(ManagementRole),
            };
            (client, var secret) = await clients.CreateAsync(Actor, draft, ct);
            WriteBootstrapFile(new ManagementCredentials(client.ClientId, secret!, audience));
        }
        if (RecordedClientId(system) != client.ClientId)
            await resourceServers.UpdateSystemAsync(Actor, system with { Extra = JsonNodes.With(system.Extra, ClientIdKey, client.ClientId) }, ct);
        var grant = await store.FindClientGrantAsync(client.ClientId, audience, ct);
        if (grant is null)
            await grants.CreateAsync(Actor, client.ClientId, audience, ManagementScopes.All, ct);
        else if (newScopes.Except(grant.Scope).Any())
            await grants.UpdateScopeAsync(Actor, grant, Defined(grant.Scope.Union(newScopes)), ct); // scopes a new version added
        return new ManagementCredentials(client.ClientId, protector.Unprotect(client.ClientSecretProtected!, Secrets.ClientSecretPurpose), audience);
    }

    /// <summary>
    /// The client whose id the system resource server records; before that record existed (an older version made the
    /// client), the one bootstrap.json names. Null when it was deleted: a new one is made.
    /// </summary>
    private async Task<Client?> FindBootstrapClientAsync(ResourceServer system, CancellationToken ct)
    {
        var id = RecordedClientId(system) ?? BootstrapFileClientId();
        return id is null ? null : await store.GetClientAsync(id, ct);
    }

    private static string? RecordedClientId(ResourceServer system) =>
        system.Extra is { ValueKind: JsonValueKind.Object } extra && extra.TryGetProperty(ClientIdKey, out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    private string? BootstrapFileClientId()
    {
        var path = settings.DataFile(BootstrapFileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path))?["client_id"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Writes the new client's credentials into bootstrap.json, keeping what else it holds (the first administrator).</summary>
    private void WriteBootstrapFile(ManagementCredentials credentials)
    {
        var path = settings.DataFile(BootstrapFileName);
        JsonObject file;
        try
        {
            file = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
        }
        catch (JsonException)
        {
            file = [];
        }
        file["issuer"] = issuer.Issuer;
        file["client_id"] = credentials.ClientId;
        file["client_secret"] = credentials.ClientSecret;
        file["audience"] = credentials.Audience;
        SecureFile.WriteText(path, file.ToJsonString(JsonDefaults.Indented));
        if (log.IsEnabled(LogLevel.Information))
            log.LogInformation("Bootstrapped the Management API; credentials written to {File}", path);
    }

    /// <summary>
    /// Clients that Gatehouse made for itself carry client_metadata.gatehouse_role: a label for finding them again, which a
    /// Management API caller can write too, so it never grants anything.
    /// </summary>
    public static async Task<Client?> FindByRoleAsync(IGatehouseStore store, string role, CancellationToken ct) =>
        (await store.ListClientsAsync(PageRequest.All, ct)).Items.FirstOrDefault(c =>
            c.Extra is { ValueKind: JsonValueKind.Object } extra && extra.TryGetProperty("client_metadata", out var metadata)
            && metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty(RoleKey, out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString() == role);

    public static JsonElement RoleMetadata(string role) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["client_metadata"] = new Dictionary<string, string> { [RoleKey] = role } });

    /// <summary>Creates or updates the system API; returns it and the scopes this version adds to an existing one.</summary>
    private async Task<(ResourceServer System, IReadOnlyList<string> NewScopes)> EnsureManagementApiAsync(string audience, CancellationToken ct)
    {
        var system = (await store.ListResourceServersAsync(PageRequest.All, ct)).Items.FirstOrDefault(r => r.IsSystem);
        var scopes = ManagementScopes.All.Select(s => new ResourceServerScope(s, null)).ToList();
        if (system is null)
        {
            var created = await resourceServers.CreateSystemAsync(Actor, new ResourceServer(Secrets.RandomHex(12), audience, "Gatehouse Management API", scopes,
                "RS256", 86400, 7200, AllowOfflineAccess: false, SkipConsentForVerifiableFirstPartyClients: false, IsSystem: true, null, 0), ct);
            return (created, []);
        }
        var missingScopes = ManagementScopes.All.Where(s => system.Scopes.All(d => d.Value != s)).ToList();
        if (system.Identifier == audience && missingScopes.Count == 0)
            return (system, []);
        var previous = system.Identifier;
        var updated = await resourceServers.UpdateSystemAsync(Actor, system with { Identifier = audience, Scopes = scopes }, ct);
        if (previous == audience)
            return (updated, missingScopes);
        if (log.IsEnabled(LogLevel.Information))
            log.LogInformation("The public URL changed: Management API audience {Old} -> {New}", previous, audience);
        foreach (var grant in (await store.ListClientGrantsAsync(new ClientGrantQuery(null, previous, PageRequest.All), ct)).Items)
        {
            await grants.DeleteAsync(Actor, grant.Id, ct);
            if (await store.GetClientAsync(grant.ClientId, ct) is not null && await store.FindClientGrantAsync(grant.ClientId, audience, ct) is null)
                await grants.CreateAsync(Actor, grant.ClientId, audience, Defined(grant.Scope), ct);
        }
        return (updated, missingScopes);
    }

    /// <summary>The scopes this version defines: one an older version had and this one dropped grants nothing.</summary>
    private static List<string> Defined(IEnumerable<string> scopes) => scopes.Where(ManagementScopes.All.Contains).ToList();
}

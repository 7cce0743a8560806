using System.Text.Json;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Server.Management;

namespace Gatehouse.Server.Hosting;

/// <summary>The management client's credentials, as written to bootstrap.json.</summary>
public sealed record ManagementCredentials(string ClientId, string ClientSecret, string Audience);

/// <summary>
/// First start: tenant settings, the Management API (a system resource server at {issuer}api/v2/), and a
/// "Gatehouse Management" M2M client granted every management scope, whose credentials go once to
/// &lt;data-dir&gt;/bootstrap.json (mode 600). Every start: keep the Management API's identifier (and grants)
/// in step with the issuer, which changes when the public URL does.
/// </summary>
public sealed class Bootstrapper(IGatehouseStore store, ISecretProtector protector, TenantIssuer issuer, GatehouseSettings settings,
    TimeProvider time, ILogger<Bootstrapper> log)
{
    public const string BootstrapFileName = "bootstrap.json";
    private const string RoleKey = "gatehouse_role";
    private const string ManagementRole = "management";

    public async Task<ManagementCredentials> RunAsync(CancellationToken ct)
    {
        if (await store.GetTenantSettingsAsync(ct) is null)
            await store.SaveTenantSettingsAsync(new TenantSettings("Gatehouse", "", "", null, 0), ct);

        var audience = issuer.ManagementAudience;
        var newScopes = await EnsureManagementApiAsync(audience, ct);
        var client = await FindByRoleAsync(store, ManagementRole, ct);
        if (client is null)
        {
            var (created, secret) = ClientFactory.Create(protector, time, "Gatehouse Management", "non_interactive",
                grantTypes: [GrantTypes.ClientCredentials], extra: RoleMetadata(ManagementRole));
            client = await store.CreateClientAsync(created, ct);
            var credentials = new ManagementCredentials(client.ClientId, secret!, audience);
            var path = settings.DataFile(BootstrapFileName);
            SecureFile.WriteText(path, JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["issuer"] = issuer.Issuer,
                ["client_id"] = credentials.ClientId,
                ["client_secret"] = credentials.ClientSecret,
                ["audience"] = credentials.Audience,
            }, JsonDefaults.Indented));
            if (log.IsEnabled(LogLevel.Information))
                log.LogInformation("Bootstrapped the Management API; credentials written to {File}", path);
        }
        var grant = await store.FindClientGrantAsync(client.ClientId, audience, ct);
        if (grant is null)
            await store.CreateClientGrantAsync(new ClientGrant("cgr_" + Secrets.RandomAlphanumeric(16), client.ClientId, audience, ManagementScopes.All, 0), ct);
        else if (newScopes.Except(grant.Scope).Any())
            await store.UpdateClientGrantAsync(grant with { Scope = [.. grant.Scope.Union(newScopes)] }, ct); // scopes a new version added
        return new ManagementCredentials(client.ClientId, ClientsApi.SecretOf(client, protector)!, audience);
    }

    /// <summary>Clients that Gatehouse made for itself carry client_metadata.gatehouse_role.</summary>
    public static async Task<Client?> FindByRoleAsync(IGatehouseStore store, string role, CancellationToken ct) =>
        (await store.ListClientsAsync(PageRequest.All, ct)).Items.FirstOrDefault(c =>
            c.Extra is { ValueKind: JsonValueKind.Object } extra && extra.TryGetProperty("client_metadata", out var metadata)
            && metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty(RoleKey, out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString() == role);

    public static JsonElement RoleMetadata(string role) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["client_metadata"] = new Dictionary<string, string> { [RoleKey] = role } });

    /// <summary>Creates or updates the system API; returns the scopes this version adds to an existing one.</summary>
    private async Task<IReadOnlyList<string>> EnsureManagementApiAsync(string audience, CancellationToken ct)
    {
        var system = (await store.ListResourceServersAsync(PageRequest.All, ct)).Items.FirstOrDefault(r => r.IsSystem);
        var scopes = ManagementScopes.All.Select(s => new ResourceServerScope(s, null)).ToList();
        if (system is null)
        {
            await store.CreateResourceServerAsync(new ResourceServer(Secrets.RandomHex(12), audience, "Gatehouse Management API", scopes,
                "RS256", 86400, 7200, AllowOfflineAccess: false, SkipConsentForVerifiableFirstPartyClients: false, IsSystem: true, null, 0), ct);
            return [];
        }
        var missingScopes = ManagementScopes.All.Where(s => system.Scopes.All(d => d.Value != s)).ToList();
        if (system.Identifier == audience && missingScopes.Count == 0)
            return [];
        var previous = system.Identifier;
        await store.UpdateResourceServerAsync(system with { Identifier = audience, Scopes = scopes }, ct);
        if (previous == audience)
            return missingScopes;
        if (log.IsEnabled(LogLevel.Information))
            log.LogInformation("The public URL changed: Management API audience {Old} -> {New}", previous, audience);
        foreach (var grant in (await store.ListClientGrantsAsync(new ClientGrantQuery(null, previous, PageRequest.All), ct)).Items)
        {
            await store.DeleteClientGrantAsync(grant.Id, ct);
            if (await store.FindClientGrantAsync(grant.ClientId, audience, ct) is null)
                await store.CreateClientGrantAsync(grant with { Audience = audience, Version = 0 }, ct);
        }
        return missingScopes;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;

namespace Gatehouse.Server.Dashboard.Services;

/// <summary>
/// The dashboard's own application for "Try in the browser", made on first use and put back in shape on every use (both
/// audited as the system actor <see cref="Actor"/>). It can do nothing but the authorization_code grant to one callback,
/// the dashboard's <see cref="CallbackPath"/>, and it is confidential: its secret never leaves the server, so a code
/// sent there is worth nothing to anyone but the dashboard, whatever PKCE pair they sent (docs/dashboard.md).
/// </summary>
public sealed class TryClient(IGatehouseStore store, ClientAdmin clients, TenantIssuer issuer) : IDisposable
{
    public const string Name = "Gatehouse dashboard (Try in the browser)";
    public const string CallbackPath = "dashboard/try/callback";

    /// <summary>The client_metadata entry that marks the client as this one.</summary>
    public const string MetadataKey = "gatehouse_dashboard";
    public const string MetadataValue = "try";

    public static readonly AdminActor Actor = AdminActor.System("dashboard-try");

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The only redirect_uri it has: the dashboard's callback on Gatehouse's public origin.</summary>
    public string Callback => issuer.Issuer + CallbackPath;

    /// <summary>The client as it is stored now, if it was made; never changes anything.</summary>
    public async Task<Client?> FindAsync(CancellationToken ct) =>
        (await store.ListClientsAsync(PageRequest.All, ct)).Items.Where(IsTryClient).OrderBy(c => c.CreatedAt).FirstOrDefault();

    public static bool IsTryClient(Client client) =>
        client.Extra is { ValueKind: JsonValueKind.Object } extra
        && extra.TryGetProperty("client_metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty(MetadataKey, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == MetadataValue;

    /// <summary>The client, made if missing and put back in its one shape if anyone changed it (one at a time on this node).</summary>
    public async Task<Client> EnsureAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (await FindAsync(ct) is not { } client)
                return (await clients.CreateAsync(Actor, new ClientDraft(Name)
                {
                    AppType = "regular_web",
                    AuthMethod = TokenEndpointAuthMethods.ClientSecretPost,
                    GrantTypes = [GrantTypes.AuthorizationCode],
                    IsFirstParty = true, // /authorize serves first-party applications only; no grant here is first-party-only
                    IsTokenEndpointIpHeaderTrusted = false,
                    Extra = Extra(),
                }, ct)).Client;
            if (InShape(client))
                return client;
            return await clients.UpdateAsync(Actor, client, new ClientChanges
            {
                Name = Name,
                AppType = "regular_web",
                AuthMethod = TokenEndpointAuthMethods.ClientSecretPost,
                GrantTypes = [GrantTypes.AuthorizationCode],
                IsFirstParty = true,
                IsTokenEndpointIpHeaderTrusted = false,
                Extra = Extra(),
            }, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private bool InShape(Client client) =>
        client.Name == Name && client.AppType == "regular_web" && client.IsFirstParty && !client.IsTokenEndpointIpHeaderTrusted
        && client.TokenEndpointAuthMethod == TokenEndpointAuthMethods.ClientSecretPost && client.ClientSecretProtected is not null
        && client.GrantTypes is [GrantTypes.AuthorizationCode]
        && client.Extra is { } extra && JsonNode.DeepEquals(JsonNode.Parse(extra.GetRawText()), JsonNode.Parse(Extra().GetRawText())); // unordered

    /// <summary>Its settings: this one callback, no logout URLs, no origins, the marker; other stored settings are dropped.</summary>
    private JsonElement Extra() => JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["description"] = "Used by the dashboard's Try page to sign in through the browser. Its secret never leaves the server.",
        ["callbacks"] = new[] { Callback },
        ["allowed_logout_urls"] = Array.Empty<string>(),
        ["allowed_origins"] = Array.Empty<string>(),
        ["web_origins"] = Array.Empty<string>(),
        ["client_metadata"] = new Dictionary<string, string> { [MetadataKey] = MetadataValue },
    });
}

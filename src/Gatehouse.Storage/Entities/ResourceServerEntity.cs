using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Entities;

internal sealed class ResourceServerEntity : VersionedEntity
{
    public string Id { get; set; } = "";
    public string Identifier { get; set; } = "";
    public string Name { get; set; } = "";
    public string Scopes { get; set; } = "[]";
    public string SigningAlg { get; set; } = "";
    public int TokenLifetime { get; set; }
    public int TokenLifetimeForWeb { get; set; }
    public bool AllowOfflineAccess { get; set; }
    public bool SkipConsentForVerifiableFirstPartyClients { get; set; }
    public bool IsSystem { get; set; }
    public string? Extra { get; set; }

    public static ResourceServerEntity From(ResourceServer r) => new()
    {
        Id = r.Id,
        Identifier = r.Identifier,
        Name = r.Name,
        Scopes = StoredJson.WriteList(r.Scopes),
        SigningAlg = r.SigningAlg,
        TokenLifetime = r.TokenLifetime,
        TokenLifetimeForWeb = r.TokenLifetimeForWeb,
        AllowOfflineAccess = r.AllowOfflineAccess,
        SkipConsentForVerifiableFirstPartyClients = r.SkipConsentForVerifiableFirstPartyClients,
        IsSystem = r.IsSystem,
        Extra = StoredJson.Write(r.Extra),
        Version = r.Version,
    };

    public ResourceServer ToRecord() => new(
        Id, Identifier, Name, StoredJson.ReadList<ResourceServerScope>(Scopes), SigningAlg, TokenLifetime,
        TokenLifetimeForWeb, AllowOfflineAccess, SkipConsentForVerifiableFirstPartyClients, IsSystem,
        StoredJson.Read(Extra), Version);
}

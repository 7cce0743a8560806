using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Entities;

internal sealed class ClientGrantEntity : VersionedEntity
{
    public string Id { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string Audience { get; set; } = "";
    public string Scope { get; set; } = "[]";

    public static ClientGrantEntity From(ClientGrant r) => new()
    {
        Id = r.Id,
        ClientId = r.ClientId,
        Audience = r.Audience,
        Scope = StoredJson.WriteList(r.Scope),
        Version = r.Version,
    };

    public ClientGrant ToRecord() => new(Id, ClientId, Audience, StoredJson.ReadList<string>(Scope), Version);
}

using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Entities;

internal sealed class ClientEntity : VersionedEntity
{
    public string ClientId { get; set; } = "";
    public string Name { get; set; } = "";
    public string AppType { get; set; } = "";
    public bool IsFirstParty { get; set; }
    public string TokenEndpointAuthMethod { get; set; } = "";
    public string? ClientSecretProtected { get; set; }
    public string GrantTypes { get; set; } = "[]";
    public bool IsTokenEndpointIpHeaderTrusted { get; set; }
    public bool IsGlobal { get; set; }
    public string? Extra { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static ClientEntity From(Client r) => new()
    {
        ClientId = r.ClientId,
        Name = r.Name,
        AppType = r.AppType,
        IsFirstParty = r.IsFirstParty,
        TokenEndpointAuthMethod = r.TokenEndpointAuthMethod,
        ClientSecretProtected = r.ClientSecretProtected,
        GrantTypes = StoredJson.WriteList(r.GrantTypes),
        IsTokenEndpointIpHeaderTrusted = r.IsTokenEndpointIpHeaderTrusted,
        IsGlobal = r.IsGlobal,
        Extra = StoredJson.Write(r.Extra),
        CreatedAt = r.CreatedAt,
        Version = r.Version,
    };

    public Client ToRecord() => new(
        ClientId, Name, AppType, IsFirstParty, TokenEndpointAuthMethod, ClientSecretProtected,
        StoredJson.ReadList<string>(GrantTypes), IsTokenEndpointIpHeaderTrusted, IsGlobal,
        StoredJson.Read(Extra), CreatedAt, Version);
}

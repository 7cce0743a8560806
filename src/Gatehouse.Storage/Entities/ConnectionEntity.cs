using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Entities;

internal sealed class ConnectionEntity : VersionedEntity
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Strategy { get; set; } = "";
    public string Options { get; set; } = "{}";
    public string EnabledClients { get; set; } = "[]";
    public string Realms { get; set; } = "[]";
    public string? DisplayName { get; set; }
    public bool IsDomainConnection { get; set; }
    public bool ShowAsButton { get; set; }
    public string? Metadata { get; set; }

    public static ConnectionEntity From(Connection r) => new()
    {
        Id = r.Id,
        Name = r.Name,
        Strategy = r.Strategy,
        Options = StoredJson.WriteRequired(r.Options, nameof(Connection.Options)),
        EnabledClients = StoredJson.WriteList(r.EnabledClients),
        Realms = StoredJson.WriteList(r.Realms),
        DisplayName = r.DisplayName,
        IsDomainConnection = r.IsDomainConnection,
        ShowAsButton = r.ShowAsButton,
        Metadata = StoredJson.Write(r.Metadata),
        Version = r.Version,
    };

    public Connection ToRecord() => new(
        Id, Name, Strategy, StoredJson.ReadRequired(Options), StoredJson.ReadList<string>(EnabledClients),
        StoredJson.ReadList<string>(Realms), DisplayName, IsDomainConnection, ShowAsButton,
        StoredJson.Read(Metadata), Version);
}

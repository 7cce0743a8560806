using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Entities;

/// <summary>The single tenant-settings row: Id is always <see cref="SingletonId"/> and unique, so a second row cannot exist.</summary>
internal sealed class TenantSettingsEntity : VersionedEntity
{
    public const int SingletonId = 1;

    public int Id { get; set; }
    public string FriendlyName { get; set; } = "";
    public string DefaultDirectory { get; set; } = "";
    public string DefaultAudience { get; set; } = "";
    public string? Extra { get; set; }

    public static TenantSettingsEntity From(TenantSettings r) => new()
    {
        Id = SingletonId,
        FriendlyName = r.FriendlyName,
        DefaultDirectory = r.DefaultDirectory,
        DefaultAudience = r.DefaultAudience,
        Extra = StoredJson.Write(r.Extra),
        Version = r.Version,
    };

    public TenantSettings ToRecord() =>
        new(FriendlyName, DefaultDirectory, DefaultAudience, StoredJson.Read(Extra), Version);
}

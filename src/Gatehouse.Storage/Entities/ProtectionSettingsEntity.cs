using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Entities;

/// <summary>One row per attack-protection kind ("brute-force-protection", ...): its Auth0 JSON document.</summary>
internal sealed class ProtectionSettingsEntity : VersionedEntity
{
    public string Kind { get; set; } = "";
    public string Value { get; set; } = "{}";

    public static ProtectionSettingsEntity From(ProtectionSettings r) => new()
    {
        Kind = r.Kind,
        Value = StoredJson.WriteRequired(r.Value, nameof(r.Value)),
        Version = r.Version,
    };

    public ProtectionSettings ToRecord() => new(Kind, StoredJson.ReadRequired(Value), Version);
}

namespace Gatehouse.Storage.Entities;

/// <summary>
/// Columns every updatable row shares. <see cref="Seq"/> is the surrogate key: it grows with each insert, so
/// "ordered by creation" is "ordered by Seq". <see cref="Version"/> is the optimistic concurrency token.
/// </summary>
internal abstract class VersionedEntity
{
    public long Seq { get; set; }

    public long Version { get; set; }
}

using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Entities;

internal sealed class SigningKeyEntity : VersionedEntity
{
    public string Kid { get; set; } = "";
    public string CertificatePem { get; set; } = "";
    public string PrivateKeyProtected { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public bool Current { get; set; }
    public bool Next { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? PublishUntil { get; set; }

    public static SigningKeyEntity From(SigningKey r) => new()
    {
        Kid = r.Kid,
        CertificatePem = r.CertificatePem,
        PrivateKeyProtected = r.PrivateKeyProtected,
        CreatedAt = r.CreatedAt,
        Current = r.Current,
        Next = r.Next,
        RevokedAt = r.RevokedAt,
        PublishUntil = r.PublishUntil,
        Version = r.Version,
    };

    public SigningKey ToRecord() =>
        new(Kid, CertificatePem, PrivateKeyProtected, CreatedAt, Current, Next, RevokedAt, PublishUntil, Version);
}

namespace Gatehouse.Core.Administrators;

/// <summary>
/// A dashboard administrator. Kept apart from tenant users: a different table, never reachable by any grant, and
/// never listed by the Management API. The password is stored only as a PBKDF2 hash (<see cref="Security.IPasswordHasher"/>).
/// </summary>
public sealed record Administrator(
    string Id,
    string Email,                // stored lowercased: sign-in ignores case
    string PasswordHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastLogin,
    long Version);

/// <summary>Administrators' storage. Email is unique (<see cref="Storage.StoreError.AlreadyExists"/>); updates are optimistic like the rest of the store.</summary>
public interface IAdministratorStore
{
    Task<Administrator?> FindByEmailAsync(string email, CancellationToken ct);

    Task<Administrator?> GetAsync(string id, CancellationToken ct);

    Task<IReadOnlyList<Administrator>> ListAsync(CancellationToken ct);

    Task<Administrator> CreateAsync(Administrator administrator, CancellationToken ct);

    Task<Administrator> UpdateAsync(Administrator administrator, CancellationToken ct);
}

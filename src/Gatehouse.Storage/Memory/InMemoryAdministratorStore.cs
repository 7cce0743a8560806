using Gatehouse.Core.Administrators;
using Gatehouse.Storage.Entities;

namespace Gatehouse.Storage.Memory;

/// <summary><see cref="IAdministratorStore"/> in memory, beside <see cref="InMemoryGatehouseStore"/> (same rules as the EF one).</summary>
internal sealed class InMemoryAdministratorStore : IAdministratorStore
{
    private readonly Lock _gate = new();
    private readonly MemoryTable<AdministratorEntity> _administrators = new(a => a.Id, a => a.Email);

    public Task<Administrator?> FindByEmailAsync(string email, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(email);
        var lower = email.Trim().ToLowerInvariant();
        lock (_gate)
            return Task.FromResult(_administrators.Find(a => a.Email == lower)?.ToRecord());
    }

    public Task<Administrator?> GetAsync(string id, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult(_administrators.Find(a => a.Id == id)?.ToRecord());
    }

    public Task<IReadOnlyList<Administrator>> ListAsync(CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<Administrator>>([.. _administrators.Rows.OrderBy(a => a.Seq).AsEnumerable().Select(a => a.ToRecord())]);
    }

    public Task<Administrator> CreateAsync(Administrator administrator, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(administrator);
        var created = administrator with { Email = administrator.Email.Trim().ToLowerInvariant(), Version = 1 };
        lock (_gate)
            _administrators.Insert(AdministratorEntity.From(created), $"Administrator '{created.Email}'");
        return Task.FromResult(created);
    }

    /// <summary>The email is kept as stored (sign-in names do not change through an update).</summary>
    public Task<Administrator> UpdateAsync(Administrator administrator, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(administrator);
        var what = $"Administrator '{administrator.Id}'";
        lock (_gate)
        {
            var index = _administrators.IndexOf(a => a.Id == administrator.Id);
            if (index < 0)
                throw MemoryTable<AdministratorEntity>.NotFound(what);
            var stored = _administrators.At(index);
            if (stored.Version != administrator.Version)
                throw MemoryTable<AdministratorEntity>.Conflict(what);
            _administrators.Replace(index, AdministratorEntity.From(administrator with { Email = stored.Email }), what);
        }
        return Task.FromResult(administrator with { Version = administrator.Version + 1 });
    }
}

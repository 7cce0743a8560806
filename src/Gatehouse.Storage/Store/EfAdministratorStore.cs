using Gatehouse.Core.Administrators;
using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Gatehouse.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

/// <summary><see cref="IAdministratorStore"/> on the same database as the tenant, in its own table.</summary>
internal sealed class EfAdministratorStore<TContext>(IDbContextFactory<TContext> factory, WriteGate writes) : IAdministratorStore
    where TContext : GatehouseDbContext
{
    public async Task<Administrator?> FindByEmailAsync(string email, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(email);
        var lower = email.Trim().ToLowerInvariant();
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await db.Administrators.SingleOrDefaultAsync(a => a.Email == lower, ct))?.ToRecord();
    }

    public async Task<Administrator?> GetAsync(string id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await db.Administrators.SingleOrDefaultAsync(a => a.Id == id, ct))?.ToRecord();
    }

    public async Task<IReadOnlyList<Administrator>> ListAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await db.Administrators.OrderBy(a => a.Seq).ToListAsync(ct)).Select(a => a.ToRecord()).ToList();
    }

    public async Task<Administrator> CreateAsync(Administrator administrator, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(administrator);
        var created = administrator with { Email = administrator.Email.Trim().ToLowerInvariant(), Version = 1 };
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Administrators.Add(AdministratorEntity.From(created));
        using var entered = await writes.EnterAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            throw new StoreException(StoreError.AlreadyExists, $"Administrator '{created.Email}' already exists.");
        }
        return created;
    }

    public async Task<Administrator> UpdateAsync(Administrator administrator, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(administrator);
        await using var db = await factory.CreateDbContextAsync(ct);
        using var entered = await writes.EnterAsync(ct);
        var stored = await db.Administrators.AsTracking().SingleOrDefaultAsync(a => a.Id == administrator.Id, ct)
            ?? throw new StoreException(StoreError.NotFound, $"Administrator '{administrator.Id}' does not exist.");
        if (stored.Version != administrator.Version)
            throw new StoreException(StoreError.Conflict, $"Administrator '{administrator.Id}' was changed by someone else since it was read.");
        var incoming = AdministratorEntity.From(administrator with { Email = stored.Email });
        incoming.Seq = stored.Seq;
        incoming.Version = stored.Version + 1;
        db.Entry(stored).CurrentValues.SetValues(incoming);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StoreException(StoreError.Conflict, $"Administrator '{administrator.Id}' was changed by someone else since it was read.");
        }
        return administrator with { Version = incoming.Version };
    }
}

using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

internal sealed partial class EfGatehouseStore<TContext>
{
    private const string TenantSettingsName = "Tenant settings";

    public Task<TenantSettings?> GetTenantSettingsAsync(CancellationToken ct) =>
        QueryAsync(async db => (await Tenant(db, ct))?.ToRecord(), ct);

    public async Task<TenantSettings> SaveTenantSettingsAsync(TenantSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Version != 0)
        {
            await UpdateAsync(
                s => s.Id == TenantSettingsEntity.SingletonId, TenantSettingsEntity.From(settings), TenantSettingsName, ct);
            return settings with { Version = settings.Version + 1 };
        }

        try
        {
            // Another writer may have created them first: that is a stale read, not a duplicate.
            await InsertAsync(TenantSettingsEntity.From(settings with { Version = 1 }), TenantSettingsName, ct);
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            throw Conflict(TenantSettingsName);
        }
        return settings with { Version = 1 };
    }
}

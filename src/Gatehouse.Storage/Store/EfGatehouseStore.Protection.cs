using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

internal sealed partial class EfGatehouseStore<TContext>
{
    private const string ProtectionSettingsName = "Attack protection settings";

    public Task<ProtectionSettings?> GetProtectionSettingsAsync(string kind, CancellationToken ct) =>
        QueryAsync(async db => (await db.ProtectionSettings.SingleOrDefaultAsync(s => s.Kind == kind, ct))?.ToRecord(), ct);

    public async Task<ProtectionSettings> SaveProtectionSettingsAsync(ProtectionSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Version != 0)
        {
            await UpdateAsync(s => s.Kind == settings.Kind, ProtectionSettingsEntity.From(settings), ProtectionSettingsName, ct);
            return settings with { Version = settings.Version + 1 };
        }

        try
        {
            // Another writer may have created them first: that is a stale read, not a duplicate.
            await InsertAsync(ProtectionSettingsEntity.From(settings with { Version = 1 }), ProtectionSettingsName, ct);
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            throw Conflict(ProtectionSettingsName);
        }
        return settings with { Version = 1 };
    }
}

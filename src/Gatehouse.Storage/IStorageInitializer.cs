namespace Gatehouse.Storage;

/// <summary>Brings the database up to date (provider set-up, then migrations). Call once at start, before serving.</summary>
public interface IStorageInitializer
{
    Task InitializeAsync(CancellationToken ct);
}

namespace Gatehouse.Core.Storage;

/// <summary>
/// Everything Gatehouse persists: the union of the per-aggregate stores, for code that needs several. A consumer
/// that needs one aggregate asks for that store; in DI every one of them is the same singleton.
/// Rules every backend follows (and the conformance suite checks):
/// <list type="bullet">
/// <item>Get*/Find* return null when absent.</item>
/// <item>Create* throws <see cref="StoreException"/> AlreadyExists on a taken key or unique value
/// (client id, connection name, resource-server identifier, (client, audience) grant, user id,
/// (connection, email), (connection, username)); it stores the record with Version 1 and returns it.</item>
/// <item>Update* takes the record as read; if the stored Version differs it throws Conflict (no last-writer-wins),
/// else it stores the record with Version + 1 and returns it. NotFound when absent.</item>
/// <item>Delete* throws NotFound when absent.</item>
/// <item>Lists are ordered by creation (oldest first) unless the query says otherwise; logs newest first.</item>
/// </list>
/// </summary>
public interface IGatehouseStore
    : IConfigurationStore, IProtectionSettingsStore, IUserStore, IRoleStore, ISigningKeyStore, IRefreshTokenStore, IAuditLogStore;

namespace Gatehouse.Core.Admin;

/// <summary>The door an administrative change came through.</summary>
public enum AdminChannel
{
    /// <summary>The Management API v2: the actor is the calling client (its access token's client_id).</summary>
    ManagementApi,

    /// <summary>The dashboard: the actor is the signed-in administrator.</summary>
    Dashboard,

    /// <summary>Gatehouse itself at start: the bootstrap and the demo seed.</summary>
    System,
}

/// <summary>
/// Who made an administrative change, named in its audit event. <paramref name="Id"/> is the Management API client's
/// client_id, the administrator's id, or the system component ("bootstrap", "demo").
/// </summary>
public sealed record AdminActor(AdminChannel Channel, string Id, string? Email = null)
{
    /// <summary>The caller's address, when the change came over HTTP.</summary>
    public string? Ip { get; init; }

    public string? UserAgent { get; init; }

    public static AdminActor ManagementApiClient(string clientId) => new(AdminChannel.ManagementApi, clientId);

    public static AdminActor Administrator(string id, string email) => new(AdminChannel.Dashboard, id, email);

    public static AdminActor System(string component) => new(AdminChannel.System, component);
}

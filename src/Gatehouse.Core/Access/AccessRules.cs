namespace Gatehouse.Core.Access;

/// <summary>
/// Who may use an application (<c>gatehouse_access_rules</c> on a client, docs/management-api.md). Each condition that is
/// set must hold: the user holds one of <see cref="Roles"/> (directly or mapped from a group) or is in one of
/// <see cref="Groups"/> (together, one condition); the user came through one of <see cref="Connections"/>; the user's
/// Azure AD tenant (<c>tid</c>) is one of <see cref="Tenants"/>. Null: that condition is not set. Refused users get
/// <c>access_denied</c> on every path.
/// </summary>
public sealed record AccessRules(
    IReadOnlyList<string>? Roles,
    IReadOnlyList<string>? Groups,
    IReadOnlyList<string>? Connections,
    IReadOnlyList<Guid>? Tenants)
{
    public const string PropertyName = "gatehouse_access_rules";

    public bool IsEmpty => Roles is null && Groups is null && Connections is null && Tenants is null;
}

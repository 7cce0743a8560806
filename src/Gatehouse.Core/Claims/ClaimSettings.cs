namespace Gatehouse.Core.Claims;

/// <summary>The directory facts a token may carry as custom claims, each under the settings' namespace (<c>{namespace}{name}</c>).</summary>
public static class ClaimKinds
{
    public const string Groups = "groups";
    public const string Roles = "roles";
    public const string AppRoles = "app_roles";
    public const string Upn = "upn";
    public const string Tid = "tid";
    public const string Oid = "oid";
    public const string JobTitle = "job_title";
    public const string Department = "department";

    /// <summary>Set to true instead of a groups claim past the cap (or when the directory's list was incomplete).</summary>
    public const string GroupsOverage = "groups_overage";

    public static readonly IReadOnlyList<string> All = [Groups, Roles, AppRoles, Upn, Tid, Oid, JobTitle, Department];
}

/// <summary>How groups are written: their display names (the id when a group has none) or their object ids.</summary>
public enum GroupClaimFormat
{
    Names,
    Ids,
}

/// <summary>
/// "Claims without code" (docs/management-api.md, <c>gatehouse_claims</c>): which directory facts go into the access token
/// and the id token, under a namespace, as Auth0 requires of custom claims. Kept in a client's and a resource server's
/// <c>Extra</c>. An API's settings choose the claims of its access tokens; an application's choose its id tokens' claims
/// and add to the access tokens it gets (the API's settings win a claim both choose).
/// </summary>
/// <param name="Namespace">An absolute http(s) URL ending in <c>/</c>, not on an Auth0 domain: claims are named <c>{Namespace}{kind}</c>.</param>
/// <param name="GroupPrefix">Only groups whose name (or id) starts with it, ordinal case-insensitive.</param>
/// <param name="GroupsOnly">Only these groups (object ids or display names).</param>
/// <param name="MaxGroups">The cap: more groups than this (after filtering) and the claim is left out, <c>groups_overage</c> true instead.</param>
public sealed record ClaimSettings(
    string Namespace,
    IReadOnlyList<string> AccessToken,
    IReadOnlyList<string> IdToken,
    GroupClaimFormat GroupFormat,
    string? GroupPrefix,
    IReadOnlyList<string>? GroupsOnly,
    int MaxGroups)
{
    public const string PropertyName = "gatehouse_claims";
    public const int DefaultMaxGroups = 100;

    /// <summary>Azure AD's own limit for groups in a JWT: beyond it a token is an overage anyway.</summary>
    public const int MaxMaxGroups = 200;
}

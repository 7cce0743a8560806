namespace Gatehouse.Core.Storage;

/// <summary>
/// A parsed search (the Lucene subset of the Management API's <c>q</c>), translated by each store into its
/// own query. Field names are Auth0's (<c>email</c>, <c>identities.connection</c>, ...); each store maps the
/// fields it supports and rejects others with <see cref="ArgumentException"/>. Matching is case-insensitive.
/// </summary>
public abstract record Filter
{
    private Filter() { }

    public sealed record And(Filter Left, Filter Right) : Filter;

    public sealed record Or(Filter Left, Filter Right) : Filter;

    public sealed record Not(Filter Inner) : Filter;

    /// <summary><c>field:value</c> (Exact), <c>field:val*</c> (Prefix), <c>_exists_:field</c> (Exists).</summary>
    public sealed record Match(string Field, string Value, MatchKind Kind) : Filter;

    /// <summary><c>field:[from TO to]</c> (inclusive) or <c>field:{from TO to}</c> (exclusive); a null bound is open (<c>*</c>).</summary>
    public sealed record Range(string Field, string? From, string? To, bool Inclusive) : Filter;
}

public enum MatchKind
{
    Exact,
    Prefix,
    Exists,
}

public sealed record UserQuery(
    Filter? Filter,
    string? ConnectionName,
    string? SortField,          // Auth0 field name, e.g. "created_at", "email", "last_login"
    bool SortDescending,
    PageRequest Page);

public sealed record ConnectionQuery(
    IReadOnlyList<string>? Strategies,
    string? Name,
    PageRequest Page);

public sealed record ClientGrantQuery(string? ClientId, string? Audience, PageRequest Page);

/// <summary>
/// Logs come newest first, or oldest first with <see cref="OldestFirst"/>. <c>FromLogId</c> + <c>Take</c> is checkpoint
/// paging: the logs after FromLogId in that order (older than it newest first, newer than it oldest first).
/// </summary>
public sealed record LogQuery(Filter? Filter, string? FromLogId, PageRequest Page)
{
    public bool OldestFirst { get; init; }
}

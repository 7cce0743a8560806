using System.Linq.Expressions;

namespace Gatehouse.Storage.Queries;

/// <summary>A searchable field of <typeparamref name="T"/>, as the filter translator sees it.</summary>
internal abstract record FilterField<T>
{
    /// <summary>
    /// A text field. <paramref name="Lowered"/> must yield the stored value already in the form <paramref name="Key"/>
    /// gives a searched value: lower case by default, <see cref="Gatehouse.Core.Users.IdentifierNormalizer.Key"/> for
    /// identifier columns (email, username), so a search finds exactly the users a login would.
    /// </summary>
    public sealed record Text(Expression<Func<T, string?>> Lowered, Func<string, string>? Key = null) : FilterField<T>
    {
        public string KeyOf(string value) => Key is null ? value.ToLowerInvariant() : Key(value);
    }

    /// <summary>A true/false field, matched by the values <c>true</c> and <c>false</c>.</summary>
    public sealed record Flag(Expression<Func<T, bool>> Selector) : FilterField<T>;

    /// <summary>A point in time, searched with ranges (<c>date:[2026-01-01 TO *]</c>).</summary>
    public sealed record Date(Expression<Func<T, DateTimeOffset>> Selector) : FilterField<T>;
}

using System.Linq.Expressions;
using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Queries;

/// <summary>
/// Turns a <see cref="Filter"/> into a LINQ predicate EF translates for any provider. Text matches compare the
/// lowercased column with the value lowercased in .NET; a prefix match becomes <c>StartsWith</c>, which EF
/// turns into a LIKE with the value's <c>%</c>, <c>_</c> and escape characters escaped.
/// </summary>
internal static class FilterTranslator
{
    public static Expression<Func<T, bool>> Translate<T>(Filter filter, IReadOnlyDictionary<string, FilterField<T>> fields)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var row = Expression.Parameter(typeof(T), "row");
        return Expression.Lambda<Func<T, bool>>(Build(filter, fields, row), row);
    }

    private static Expression Build<T>(Filter filter, IReadOnlyDictionary<string, FilterField<T>> fields, ParameterExpression row) =>
        filter switch
        {
            Filter.And and => Expression.AndAlso(Build(and.Left, fields, row), Build(and.Right, fields, row)),
            Filter.Or or => Expression.OrElse(Build(or.Left, fields, row), Build(or.Right, fields, row)),
            Filter.Not not => Expression.Not(Build(not.Inner, fields, row)),
            Filter.Match match => Match(match, fields, row),
            Filter.Range range => Range(range, fields, row),
            _ => throw new ArgumentException($"Unsupported filter node {filter.GetType().Name}.", nameof(filter)),
        };

    private static Expression Match<T>(Filter.Match match, IReadOnlyDictionary<string, FilterField<T>> fields, ParameterExpression row)
    {
        if (!fields.TryGetValue(match.Field, out var field))
        {
            throw new ArgumentException(
                $"Unknown search field '{match.Field}'. Searchable fields: {string.Join(", ", fields.Keys)}.", nameof(match));
        }

        return field switch
        {
            FilterField<T>.Date => throw new ArgumentException(
                $"Field '{match.Field}' is a date: search it with a range, e.g. {match.Field}:[2026-01-01 TO *].", nameof(match)),
            FilterField<T>.Text text => MatchText(match, text.KeyOf(match.Value), Inline(text.Lowered, row)),
            FilterField<T>.Flag flag => MatchFlag(match, Inline(flag.Selector, row)),
            _ => throw new ArgumentException($"Unsupported field kind for '{match.Field}'.", nameof(match)),
        };
    }

    private static Expression Range<T>(Filter.Range range, IReadOnlyDictionary<string, FilterField<T>> fields, ParameterExpression row)
    {
        if (!fields.TryGetValue(range.Field, out var field) || field is not FilterField<T>.Date date)
            throw new ArgumentException($"Field '{range.Field}' cannot be searched with a range; dates can.", nameof(range));
        var value = Inline(date.Selector, row);
        Expression result = Expression.Constant(true);
        if (range.From is { } from)
        {
            var bound = DateParameter(ParseDate(from));
            result = Expression.AndAlso(result, range.Inclusive ? Expression.GreaterThanOrEqual(value, bound) : Expression.GreaterThan(value, bound));
        }
        if (range.To is { } to)
        {
            var bound = DateParameter(ParseDate(to));
            result = Expression.AndAlso(result, range.Inclusive ? Expression.LessThanOrEqual(value, bound) : Expression.LessThan(value, bound));
        }
        return result;
    }

    private static DateTimeOffset ParseDate(string text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : throw new ArgumentException($"'{text}' is not a date (use ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z).", nameof(text));

    private static MemberExpression DateParameter(DateTimeOffset value) =>
        Expression.Property(Expression.Constant(new CapturedDate(value)), nameof(CapturedDate.Value));

    private sealed record CapturedDate(DateTimeOffset Value);

    private static BinaryExpression MatchText(Filter.Match match, string key, Expression lowered)
    {
        var isSet = Expression.NotEqual(lowered, Expression.Constant(null, typeof(string)));
        switch (match.Kind)
        {
            case MatchKind.Exists:
                return Expression.AndAlso(isSet, Expression.NotEqual(lowered, Expression.Constant("", typeof(string))));
            case MatchKind.Exact:
                return Expression.Equal(lowered, Parameter(key));
            case MatchKind.Prefix:
                var startsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
                // The null check keeps NOT(prefix) true for rows where the field is absent.
                return Expression.AndAlso(isSet, Expression.Call(lowered, startsWith, Parameter(key)));
            default:
                throw new ArgumentException($"Unsupported match kind {match.Kind}.", nameof(match));
        }
    }

    private static Expression MatchFlag(Filter.Match match, Expression selector)
    {
        switch (match.Kind)
        {
            case MatchKind.Exists:
                return Expression.Constant(true);
            case MatchKind.Exact when bool.TryParse(match.Value, out var wanted):
                return Expression.Equal(selector, Expression.Constant(wanted));
            default:
                throw new ArgumentException(
                    $"Field '{match.Field}' is true or false: search it as {match.Field}:true or {match.Field}:false.", nameof(match));
        }
    }

    /// <summary>A value EF sends as a query parameter (a member of a captured object), not as inline SQL text.</summary>
    private static MemberExpression Parameter(string value) =>
        Expression.Property(Expression.Constant(new Captured(value)), nameof(Captured.Value));

    private static Expression Inline<T, TResult>(Expression<Func<T, TResult>> selector, ParameterExpression row) =>
        new ReplaceParameter(selector.Parameters[0], row).Visit(selector.Body);

    private sealed record Captured(string Value);

    private sealed class ReplaceParameter(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

using System.Linq.Expressions;
using System.Reflection;

namespace Gatehouse.Storage.Queries;

/// <summary>
/// Rewrites a LINQ query built for EF (<see cref="UserQueries"/>, <see cref="LogQueries"/>, <see cref="FilterTranslator"/>)
/// so LINQ to Objects runs it the way the databases do: a method on a null value yields null (SQL's <c>lower(NULL)</c>)
/// instead of throwing, strings compare and sort ordinally (SQLite's BINARY collation) instead of by culture, and
/// <c>ToLower</c> ignores the current culture. The in-memory store runs the very query trees the EF store translates,
/// so a search or a sort cannot mean one thing in memory and another in SQL.
/// </summary>
internal sealed class SqlSemantics : ExpressionVisitor
{
    public static readonly SqlSemantics Instance = new();

    private static readonly MethodInfo CompareOrdinal =
        typeof(string).GetMethod(nameof(string.CompareOrdinal), [typeof(string), typeof(string)])!;

    private static readonly MethodInfo ToLowerInvariant = typeof(string).GetMethod(nameof(string.ToLowerInvariant), Type.EmptyTypes)!;

    private static readonly HashSet<string> Orderings =
        [nameof(Queryable.OrderBy), nameof(Queryable.OrderByDescending), nameof(Queryable.ThenBy), nameof(Queryable.ThenByDescending)];

    /// <summary>Runs <paramref name="query"/> (over in-memory data) with these semantics.</summary>
    public static List<T> ToList<T>(IQueryable<T> query) =>
        [.. query.Provider.CreateQuery<T>(Instance.Visit(query.Expression))];

    /// <summary>Counts the rows of <paramref name="query"/> with these semantics.</summary>
    public static int Count<T>(IQueryable<T> query) => ToList(query).Count;

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        var method = node.Method;
        if (method.DeclaringType == typeof(Queryable) && Orderings.Contains(method.Name)
            && node.Arguments.Count == 2 && method.GetGenericArguments()[1] == typeof(string))
        {
            var withComparer = typeof(Queryable).GetMethods()
                .Single(m => m.Name == method.Name && m.GetParameters().Length == 3)
                .MakeGenericMethod(method.GetGenericArguments());
            return Expression.Call(withComparer, Visit(node.Arguments[0]), Visit(node.Arguments[1]),
                Expression.Constant(StringComparer.Ordinal, typeof(IComparer<string>)));
        }
        if (method.DeclaringType == typeof(string) && method.Name == nameof(string.Compare) && node.Arguments.Count == 2)
            return Expression.Call(CompareOrdinal, Visit(node.Arguments[0]), Visit(node.Arguments[1]));

        if (node.Object is { } target && !target.Type.IsValueType && target is not ConstantExpression)
        {
            var instance = Visit(target);
            var call = method == typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)
                ? Expression.Call(instance, ToLowerInvariant)
                : node.Update(instance, node.Arguments.Select(Visit)!);
            return Expression.Condition(
                Expression.Equal(instance, Expression.Constant(null, target.Type)), Expression.Default(call.Type), call);
        }
        return base.VisitMethodCall(node);
    }
}

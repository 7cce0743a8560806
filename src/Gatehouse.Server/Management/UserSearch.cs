using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Management;

/// <summary>
/// The subset of Auth0's Lucene user search that Gatehouse supports: terms <c>field:value</c>, <c>field:"quoted value"</c>,
/// <c>field:prefix*</c>, <c>_exists_:field</c>, <c>field:[from TO to]</c> / <c>field:{from TO to}</c> (ranges, <c>*</c> open),
/// each optionally negated with <c>NOT</c> or <c>-</c>, joined by AND (or whitespace) and OR (AND binds tighter).
/// Parentheses, bare words, fuzzy and boosted terms are refused with a 400 naming the problem.
/// </summary>
internal static class UserSearch
{
    /// <summary>
    /// <paramref name="logSearch"/>: Auth0's log search rules instead, where an unquoted value is a case-insensitive
    /// starts-with and a bare word searches client_name, connection and user_name.
    /// </summary>
    public static Filter? Parse(string? q, bool logSearch = false)
    {
        if (string.IsNullOrWhiteSpace(q))
            return null;
        if (q.Length > 1024)
            throw Bad("the query is longer than 1024 characters");
        Filter? result = null;
        foreach (var clause in SplitOr(Tokens(q), logSearch))
        {
            Filter? and = null;
            foreach (var term in clause)
                and = and is null ? term : new Filter.And(and, term);
            if (and is null)
                throw Bad("an empty clause");
            result = result is null ? and : new Filter.Or(result, and);
        }
        return result;
    }

    private static IEnumerable<List<Filter>> SplitOr(List<string> tokens, bool logSearch)
    {
        var clause = new List<Filter>();
        var negate = false;
        foreach (var token in tokens)
        {
            switch (token)
            {
                case "OR":
                    yield return clause;
                    clause = [];
                    break;
                case "AND":
                    break;
                case "NOT":
                    negate = true;
                    break;
                default:
                    Filter term = token.StartsWith('-') ? new Filter.Not(Term(token[1..], logSearch)) : Term(token, logSearch);
                    clause.Add(negate ? new Filter.Not(term) : term);
                    negate = false;
                    break;
            }
        }
        yield return clause;
    }

    private static Filter Term(string token, bool logSearch)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (logSearch && colon < 0 && !token.Contains('"', StringComparison.Ordinal))
        {
            var word = token.TrimEnd('*');
            return new Filter.Or(new Filter.Match("client_name", word, MatchKind.Prefix),
                new Filter.Or(new Filter.Match("connection", word, MatchKind.Prefix), new Filter.Match("user_name", word, MatchKind.Prefix)));
        }
        if (colon <= 0 || colon == token.Length - 1)
            throw Bad($"'{token}' is not field:value");
        var field = token[..colon];
        var value = token[(colon + 1)..];
        if (value[0] is '[' or '{')
            return Range(field, value);
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            return new Filter.Match(field, value[1..^1], MatchKind.Exact);
        if (value.Contains('~', StringComparison.Ordinal) || value.Contains('^', StringComparison.Ordinal))
            throw Bad($"fuzzy (~) and boosted (^) terms are not supported: '{token}'");
        if (field == "_exists_")
            return new Filter.Match(value, "", MatchKind.Exists);
        var star = value.IndexOf('*', StringComparison.Ordinal);
        if ((star >= 0 && star != value.Length - 1) || value.Contains('?', StringComparison.Ordinal))
            throw Bad($"only a trailing * wildcard is supported: '{token}'");
        if (logSearch)
            return new Filter.Match(field, value.TrimEnd('*'), MatchKind.Prefix);
        return value.EndsWith('*')
            ? new Filter.Match(field, value[..^1], MatchKind.Prefix)
            : new Filter.Match(field, value, MatchKind.Exact);
    }

    private static Filter.Range Range(string field, string value)
    {
        var inclusive = value[0] == '[';
        var parts = value.Length >= 2 && value[^1] == (inclusive ? ']' : '}')
            ? value[1..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        if (parts.Length != 3 || parts[1] != "TO")
            throw Bad($"a range is {field}:[from TO to] or {field}:{{from TO to}}");
        return new Filter.Range(field, parts[0] == "*" ? null : parts[0], parts[2] == "*" ? null : parts[2], inclusive);
    }

    private static List<string> Tokens(string q)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var ranged = false;
        foreach (var c in q)
        {
            if (c == '"' && !ranged)
                quoted = !quoted;
            if (c is '[' or '{' && !quoted)
                ranged = true;
            if (c is ']' or '}' && !quoted)
                ranged = false;
            if (char.IsWhiteSpace(c) && ranged)
            {
                current.Append(' ');
                continue;
            }
            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (current.Length > 0)
                    tokens.Add(current.ToString());
                current.Clear();
                continue;
            }
            if (c is '(' or ')' && !quoted)
                throw Bad("parentheses are not supported");
            current.Append(c);
        }
        if (quoted || ranged)
            throw Bad(quoted ? "an unterminated quote" : "an unterminated range");
        if (current.Length > 0)
            tokens.Add(current.ToString());
        return tokens;
    }

    private static ManagementException Bad(string why) => ManagementException.BadQuery($"Query validation error: 'Invalid search query: {why}' on property q.");
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Connections.Database;

/// <summary>The options of an <c>auth0</c> (database) connection that Gatehouse acts on, with Auth0's defaults.</summary>
public sealed record DatabaseConnectionOptions(
    bool RequiresUsername,
    bool BruteForceProtection,
    string PasswordPolicy,
    int? MinLength,
    bool DisableSignup,
    int UsernameMin,
    int UsernameMax)
{
    public static readonly IReadOnlyList<string> Policies = ["none", "low", "fair", "good", "excellent"];

    /// <summary>
    /// Problems with the options (<see cref="DatabaseOptionsDocument"/>): members it does not declare, in Auth0's words
    /// ("Additional properties not allowed: a, b"), wrong JSON types, then values out of range. Absent options are valid.
    /// </summary>
    public static IReadOnlyList<OptionProblem> Validate(JsonElement options)
    {
        if (options.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return [];
        var read = TypedOptions.Read<DatabaseOptionsDocument>(options);
        var problems = read.Problems.ToList();
        if (read.Unknown.Count > 0)
            problems.Add(new(null, $"Additional properties not allowed: {string.Join(", ", read.Unknown)}"));
        if (problems.Count == 0 && read.Value is { } document)
            problems.AddRange(ValueProblems(document));
        return problems;
    }

    private static IEnumerable<OptionProblem> ValueProblems(DatabaseOptionsDocument d)
    {
        if (d.PasswordPolicy is { } policy && !Policies.Contains(policy))
            yield return new(Name(nameof(d.PasswordPolicy)), $"must be one of: {string.Join(", ", Policies)}");
        if (d.PasswordComplexityOptions?["min_length"] is { } min && (min.GetValueKind() != JsonValueKind.Number || !min.AsValue().TryGetValue<int>(out var length) || length is < 1 or > 128))
            yield return new(Name(nameof(d.PasswordComplexityOptions)) + ".min_length", "must be an integer from 1 to 128");
        if (UsernameBounds(d) is var (lo, hi) && (lo < 1 || hi > 128 || lo > hi))
            yield return new(Name(nameof(d.Validation)) + ".username", "must have 1 <= min <= max <= 128");
    }

    /// <summary>The options with defaults applied; never throws, also for stored options that no longer validate.</summary>
    public static DatabaseConnectionOptions Parse(JsonElement options)
    {
        var d = options.ValueKind == JsonValueKind.Object ? TypedOptions.Read<DatabaseOptionsDocument>(options).Value! : new DatabaseOptionsDocument();
        int? minLength = d.PasswordComplexityOptions?["min_length"] is JsonValue min && min.TryGetValue<int>(out var length) ? length : null;
        var (usernameMin, usernameMax) = UsernameBounds(d) ?? (1, 15);
        return new DatabaseConnectionOptions(d.RequiresUsername, d.BruteForceProtection, d.PasswordPolicy ?? "none", minLength, d.DisableSignup, usernameMin, usernameMax);
    }

    private static (int Min, int Max)? UsernameBounds(DatabaseOptionsDocument d)
    {
        if (d.Validation?["username"] is not JsonObject username)
            return null;
        var min = username["min"] is JsonValue lo && lo.TryGetValue<int>(out var l) ? l : 1;
        var max = username["max"] is JsonValue hi && hi.TryGetValue<int>(out var h) ? h : 15;
        return (min, max);
    }

    private static string Name(string property) => TypedOptions.NameOf<DatabaseOptionsDocument>(property);
}

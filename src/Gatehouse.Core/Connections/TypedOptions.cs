using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Gatehouse.Core.Connections;

/// <summary>
/// Reads a strategy's JSON options into its options record: one property per option, its JSON name written once, in
/// the property's <see cref="JsonPropertyNameAttribute"/>. Unlike <see cref="JsonSerializer"/>, which stops at the first
/// bad member, every problem is reported, each naming its option, so a form can mark every field at once: a member the
/// record does not declare (the record is marked <see cref="JsonUnmappedMemberHandling.Disallow"/>), and a value of the
/// wrong JSON type. An explicit null is the same as leaving the option out (the property keeps its default).
/// </summary>
/// <remarks>
/// Property types and the problem each gives: <c>bool</c> "must be a boolean", <c>string</c> "must be a string",
/// <c>int</c> "must be an integer", a list of strings "must be an array of strings", <see cref="JsonObject"/> "must be an
/// object or null", <see cref="JsonElement"/> anything. The stored JSON is never rewritten from the record, so options
/// kept but not acted on survive round trips exactly.
/// </remarks>
public static class TypedOptions
{
    private static readonly JsonSerializerOptions Json = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, JsonPropertyInfo>> Members = new();

    /// <summary>
    /// The options read into <typeparamref name="T"/>, with the names of members it does not declare (for the strategy
    /// to word) and the type problems; null when the options are not a JSON object (a problem says so).
    /// </summary>
    public static TypedOptionsResult<T> Read<T>(JsonElement options) where T : class, new()
    {
        if (options.ValueKind != JsonValueKind.Object)
            return new(null, [], [new OptionProblem(null, "options must be an object")]);
        var members = MembersOf(typeof(T));
        var value = new T();
        var unknown = new List<string>();
        var problems = new List<OptionProblem>();
        foreach (var member in options.EnumerateObject())
        {
            if (!members.TryGetValue(member.Name, out var property))
            {
                unknown.Add(member.Name);
                continue;
            }
            if (member.Value.ValueKind == JsonValueKind.Null)
                continue;
            if (TypeProblem(property.PropertyType, member.Value) is { } problem)
            {
                problems.Add(new OptionProblem(member.Name, problem));
                continue;
            }
            property.Set!(value, member.Value.Deserialize(property.PropertyType, Json));
        }
        return new(value, unknown, problems);
    }

    /// <summary>The JSON name of a property of an options record: <c>NameOf&lt;WaadOptionsDocument&gt;(nameof(ClientId))</c> is "client_id".</summary>
    public static string NameOf<T>(string propertyName) =>
        MembersOf(typeof(T)).Values.First(p => (p.AttributeProvider as System.Reflection.MemberInfo)?.Name == propertyName).Name;

    /// <summary>The JSON names the record declares, in declaration order.</summary>
    public static IReadOnlyCollection<string> NamesOf<T>() => [.. MembersOf(typeof(T)).Keys];

    private static IReadOnlyDictionary<string, JsonPropertyInfo> MembersOf(Type type) =>
        Members.GetOrAdd(type, t => Json.GetTypeInfo(t).Properties.Where(p => p.Set is not null).ToDictionary(p => p.Name, StringComparer.Ordinal));

    private static string? TypeProblem(Type type, JsonElement value)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(bool))
            return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "must be a boolean";
        if (type == typeof(string))
            return value.ValueKind == JsonValueKind.String ? null : "must be a string";
        if (type == typeof(int))
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _) ? null : "must be an integer";
        if (type == typeof(JsonObject))
            return value.ValueKind == JsonValueKind.Object ? null : "must be an object or null";
        if (type == typeof(JsonElement))
            return null;
        if (typeof(IEnumerable<string>).IsAssignableFrom(type))
            return value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) ? null : "must be an array of strings";
        throw new NotSupportedException($"Options property type {type} has no JSON type check.");
    }
}

/// <summary>
/// What <see cref="TypedOptions.Read{T}"/> found: the record (null when the options are not an object), the members the
/// record does not declare, and the members of the wrong type (their properties keep their defaults).
/// </summary>
public sealed record TypedOptionsResult<T>(T? Value, IReadOnlyList<string> Unknown, IReadOnlyList<OptionProblem> Problems) where T : class
{
    /// <summary>Whether the option had a problem already (so a later rule about it says nothing more).</summary>
    public bool Failed(string option) => Problems.Any(p => p.Option == option);
}

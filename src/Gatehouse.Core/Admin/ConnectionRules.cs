using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>
/// The rules for a connection, used by <see cref="ConnectionAdmin"/>. Checks answer null when valid, or the problem in
/// the Management API's words.
/// </summary>
public static partial class ConnectionRules
{
    public const string NameRegex = "^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$";

    [GeneratedRegex(NameRegex)]
    public static partial Regex NamePattern();

    public static string? NameProblem(string name) =>
        name.Length is 0 or > 128 || !NamePattern().IsMatch(name)
            ? $"Payload validation error: 'String does not match pattern {NameRegex}: {name}' on property name (The name of the connection)."
            : null;

    /// <summary>
    /// The strategy's own option checks as problems per field: an <see cref="OptionProblem"/> about "client_id" concerns
    /// "options.client_id" (a nested one "options.validation.username"); one naming no option concerns "options". The
    /// message is the problem as the Management API words it ("options.client_id is required").
    /// </summary>
    public static IReadOnlyList<AdminProblem> OptionProblems(IConnectionStrategy strategy, JsonElement options) =>
        strategy.Validate(options).Select(problem => new AdminProblem(problem.Option is null ? "options" : "options." + problem.Option, problem.ToString())).ToList();

    /// <summary>The Management API's one message for all of a strategy's option problems.</summary>
    public static string OptionsMessage(IReadOnlyList<AdminProblem> problems) =>
        $"Payload validation error: '{string.Join("; ", problems.Select(p => p.Message))}' on property options.";

    /// <summary>
    /// A PATCH that leaves a stored secret out keeps it (see ConnectionsApi), but never when it also moves where secrets
    /// go (the strategy's <see cref="IConnectionStrategy.SecretDestinationOptions"/>, e.g. the Azure AD host): else a
    /// caller who may change options but not read them could send the kept secret, and every user's password, to a
    /// host of its choosing. Such a change must say what the secret is: a new value, or null to remove it.
    /// </summary>
    public static string? KeptSecretProblem(IConnectionStrategy strategy, JsonElement stored, JsonElement? requested)
    {
        var updated = requested ?? default;
        if (stored.ValueKind != JsonValueKind.Object || updated.ValueKind != JsonValueKind.Object || strategy.Validate(updated).Count > 0)
            return null; // the option checks answer first (a host no one allows is refused for that)
        var kept = strategy.SecretOptions.Where(name => !updated.TryGetProperty(name, out _)
            && stored.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String).ToList();
        var moved = strategy.SecretDestinationOptions.FirstOrDefault(name => Destination(stored, name) != Destination(updated, name));
        return kept.Count == 0 || moved is null
            ? null
            : $"Payload validation error: 'options.{moved} changed, so the stored options.{kept[0]} is not kept: send options.{kept[0]} "
              + $"in the same request (the secret, or null to remove it)' on property options.";
    }

    /// <summary>A destination option's value compared as a URL ("https://Host" equals "https://host/"); absent or null is the default.</summary>
    private static string? Destination(JsonElement options, string name) =>
        !options.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String && Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) ? uri.AbsoluteUri.TrimEnd('/')
        : value.GetRawText();

    /// <summary>Realms only where the strategy takes them (<see cref="StrategyDescriptor.Realms"/>: database connections).</summary>
    public static string? RealmsProblem(IConnectionStrategy? strategy, IReadOnlyList<string>? realms) =>
        realms is not null && strategy?.Descriptor.Realms != true ? "Realms is only supported for database connections" : null;

    /// <summary>The connection with the client enabled or not (the order of the others kept).</summary>
    public static Connection WithClient(Connection connection, string clientId, bool enabled)
    {
        var others = connection.EnabledClients.Where(c => c != clientId);
        return connection with { EnabledClients = enabled ? [.. others, clientId] : [.. others] };
    }
}

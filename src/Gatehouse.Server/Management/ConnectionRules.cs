using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Connections.Database;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Management;

/// <summary>
/// The rules for a connection, shared by the Management API and the dashboard (one set of rules). Checks answer
/// null when valid, or the problem in the Management API's words.
/// </summary>
internal static partial class ConnectionRules
{
    public const string NameRegex = "^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$";

    [GeneratedRegex(NameRegex)]
    public static partial Regex NamePattern();

    public static string? NameProblem(string name) =>
        name.Length is 0 or > 128 || !NamePattern().IsMatch(name)
            ? $"Payload validation error: 'String does not match pattern {NameRegex}: {name}' on property name (The name of the connection)."
            : null;

    /// <summary>The strategy's own option checks, each naming the option.</summary>
    public static IReadOnlyList<string> OptionProblems(IConnectionStrategy strategy, JsonElement options) => strategy.ValidateOptions(options);

    /// <summary>Options as stored: the strategy's secret options encrypted.</summary>
    public static JsonElement Protect(IConnectionStrategy strategy, JsonElement options, ConnectionOptionSecrets secrets) =>
        secrets.Protect(strategy, options);

    public static string? RealmsProblem(string strategy, IReadOnlyList<string>? realms) =>
        realms is not null && strategy != DatabaseConnectionStrategy.Name ? "Realms is only supported for database connections" : null;

    /// <summary>The connection with the client enabled or not (the order of the others kept).</summary>
    public static Connection WithClient(Connection connection, string clientId, bool enabled)
    {
        var others = connection.EnabledClients.Where(c => c != clientId);
        return connection with { EnabledClients = enabled ? [.. others, clientId] : [.. others] };
    }
}

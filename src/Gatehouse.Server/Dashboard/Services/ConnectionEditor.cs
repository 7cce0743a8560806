using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Management;

namespace Gatehouse.Server.Dashboard.Services;

/// <summary>
/// Creates and updates connections from the dashboard's forms with the Management API's rules (<see cref="ConnectionRules"/>,
/// the strategy's own option checks, secret options encrypted). Problems come back keyed by form field.
/// </summary>
public sealed class ConnectionEditor(IGatehouseStore store, ConnectionCache cache, ConnectionOptionSecrets secrets)
{
    public sealed record Result(Connection? Saved, Dictionary<string, string> Errors);

    public async Task<Result> CreateAsync(string name, string strategyName, JsonObject options, IReadOnlyList<string> enabledClients,
        Func<string, string> fieldOf, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ConnectionRules.NameProblem(name) is { } nameProblem)
            errors[fieldOf("name")] = nameProblem;
        var strategy = cache.FindStrategy(strategyName) ?? throw new InvalidOperationException($"Strategy {strategyName} is not registered.");
        var element = JsonSerializer.SerializeToElement(options);
        AddOptionProblems(errors, ConnectionRules.OptionProblems(strategy, element), fieldOf);
        if (errors.Count > 0)
            return new Result(null, errors);
        var connection = new Connection("con_" + Secrets.RandomAlphanumeric(16), name, strategyName, ConnectionRules.Protect(strategy, element, secrets),
            enabledClients, [name], null, false, false, null, 0);
        try
        {
            return new Result(await store.CreateConnectionAsync(connection, ct), errors);
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            errors[fieldOf("name")] = "A connection with the same name already exists";
            return new Result(null, errors);
        }
    }

    /// <summary>The stored options (secrets revealed) with the form's values laid over them: options the form does not show are kept.</summary>
    public JsonObject CurrentOptions(Connection connection)
    {
        var strategy = cache.FindStrategy(connection.Strategy);
        var revealed = strategy is null ? connection.Options : secrets.Reveal(strategy, connection.Options);
        return JsonNode.Parse(revealed.GetRawText()) as JsonObject ?? [];
    }

    public async Task<Result> UpdateAsync(Connection connection, JsonObject options, IReadOnlyList<string> enabledClients, Func<string, string> fieldOf, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var strategy = cache.FindStrategy(connection.Strategy) ?? throw new InvalidOperationException($"Strategy {connection.Strategy} is not registered.");
        var element = JsonSerializer.SerializeToElement(options);
        AddOptionProblems(errors, ConnectionRules.OptionProblems(strategy, element), fieldOf);
        if (errors.Count > 0)
            return new Result(null, errors);
        var updated = connection with { Options = ConnectionRules.Protect(strategy, element, secrets), EnabledClients = enabledClients };
        return new Result(await store.UpdateConnectionAsync(updated, ct), errors);
    }

    /// <summary>"options.client_id is required" goes beside the client_id field; a problem naming no field goes to "options".</summary>
    private static void AddOptionProblems(Dictionary<string, string> errors, IReadOnlyList<string> problems, Func<string, string> fieldOf)
    {
        foreach (var problem in problems)
        {
            var option = problem.StartsWith("options.", StringComparison.Ordinal) ? problem[8..].Split(' ', '.')[0] : "options";
            var field = fieldOf(option);
            errors[field] = errors.TryGetValue(field, out var earlier) ? earlier + "; " + problem : problem;
        }
    }
}

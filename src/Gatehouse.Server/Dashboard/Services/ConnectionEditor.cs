using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Dashboard.Services;

/// <summary>
/// The connection forms' adapter over <see cref="ConnectionAdmin"/>: a form's options in, and the admin layer's problems
/// back keyed by form field (a problem about "options.client_id" goes beside the client_id field).
/// </summary>
public sealed class ConnectionEditor(ConnectionAdmin admin)
{
    public sealed record Result(Connection? Saved, Dictionary<string, string> Errors);

    public async Task<Result> CreateAsync(AdminActor actor, string name, string strategyName, JsonObject options, IReadOnlyList<string> enabledClients,
        Func<string, string> fieldOf, CancellationToken ct)
    {
        var draft = new ConnectionDraft(name, strategyName) { Options = JsonSerializer.SerializeToElement(options), EnabledClients = enabledClients };
        return await SaveAsync(() => admin.CreateAsync(actor, draft, ct), fieldOf);
    }

    /// <summary>The stored options (secrets revealed) with the form's values laid over them: options the form does not show are kept.</summary>
    public JsonObject CurrentOptions(Connection connection) =>
        JsonNode.Parse(admin.RevealedOptions(connection).GetRawText()) as JsonObject ?? [];

    public async Task<Result> UpdateAsync(AdminActor actor, Connection connection, JsonObject options, IReadOnlyList<string> enabledClients,
        Func<string, string> fieldOf, CancellationToken ct)
    {
        var changes = new ConnectionChanges { Options = JsonSerializer.SerializeToElement(options), EnabledClients = enabledClients };
        return await SaveAsync(() => admin.UpdateAsync(actor, connection, changes, ct), fieldOf);
    }

    private static async Task<Result> SaveAsync(Func<Task<Connection>> save, Func<string, string> fieldOf)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            return new Result(await save(), errors);
        }
        catch (AdminException refusal) when (refusal.Refusal is AdminRefusal.Invalid or AdminRefusal.Conflict)
        {
            foreach (var problem in refusal.Problems)
            {
                var field = fieldOf(problem.Field.StartsWith("options.", StringComparison.Ordinal) ? problem.Field[8..] : problem.Field);
                errors[field] = errors.TryGetValue(field, out var earlier) ? earlier + "; " + problem.Message : problem.Message;
            }
            if (errors.Count == 0)
                errors[fieldOf("options")] = refusal.Message;
            return new Result(null, errors);
        }
    }
}

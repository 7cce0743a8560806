using System.Text.Json;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Connections.Database;

/// <summary>Strategy <c>auth0</c>: Auth0's database connections.</summary>
public sealed class DatabaseConnectionStrategy(IGatehouseStore store, IPasswordHasher hasher, TimeProvider time) : IConnectionStrategy
{
    public const string Name = "auth0";

    public string Strategy => Name;

    public StrategyDescriptor Descriptor { get; } = new("Database", Federated: false, Realms: true, StrategyType: "database", DashboardSection: "database");

    public IReadOnlyList<OptionProblem> Validate(JsonElement options) => DatabaseConnectionOptions.Validate(options);

    public IConnection Create(Connection definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new DatabaseConnection(definition, DatabaseConnectionOptions.Parse(definition.Options), store, hasher, time);
    }
}

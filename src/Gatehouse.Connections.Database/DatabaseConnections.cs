using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Connections.Database;

/// <summary>The one line a host adds to offer <c>auth0</c> (database) connections (docs/architecture.md, "Adding a strategy").</summary>
public static class DatabaseConnections
{
    /// <summary>Registers the <c>auth0</c> strategy; it needs an <see cref="Core.Security.IPasswordHasher"/> from the host.</summary>
    public static IServiceCollection AddDatabaseConnections(this IServiceCollection services)
    {
        services.AddSingleton<IConnectionStrategy, DatabaseConnectionStrategy>();
        return services;
    }
}

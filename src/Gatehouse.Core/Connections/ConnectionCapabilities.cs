namespace Gatehouse.Core.Connections;

// Capabilities a live connection declares by implementing them. Cross-cutting code (attack protection, the
// dashboard) asks for a capability, never for a strategy name (docs/architecture.md, "Adding a strategy").

/// <summary>A connection that can check its configuration against its identity provider without a real user (the dashboard's Preflight).</summary>
public interface IPreflightConnection : IConnection
{
    Task<PreflightReport> PreflightAsync(CancellationToken ct);
}

public enum PreflightStatus
{
    Ok,
    Warning,
    Failed,
    Info,
}

/// <summary>One line of a preflight report: what was checked, how it went, and what the provider said.</summary>
public sealed record PreflightCheck(string Name, PreflightStatus Status, string Detail);

public sealed record PreflightReport(IReadOnlyList<PreflightCheck> Checks)
{
    public bool Passed => Checks.All(c => c.Status != PreflightStatus.Failed);
}

/// <summary>
/// How the log and the dashboard name and explain a strategy: labels only, never a behaviour switch.
/// </summary>
/// <param name="DisplayName">The provider as people call it: "Azure AD", "Database".</param>
/// <param name="Federated">Users sign in at an outside identity provider (the dashboard's Try page offers these first).</param>
/// <param name="GroupsOption">The option that turns group memberships on, or null when the strategy has no groups.</param>
/// <param name="Realms">The connection may name realms (Auth0 allows them on database connections only).</param>
/// <param name="StrategyType">Auth0's <c>strategy_type</c> of the strategy's log events: "database", "enterprise", "social" or "passwordless".</param>
/// <param name="DashboardSection">
/// The dashboard's pages for this strategy's connections, <c>/dashboard/connections/{section}</c> (list, create, edit);
/// null when it has none (its connections are managed through the Management API).
/// </param>
public sealed record StrategyDescriptor(string DisplayName, bool Federated, string? GroupsOption = null, bool Realms = false,
    string StrategyType = "social", string? DashboardSection = null);

using Gatehouse.Core.Connections;

namespace Gatehouse.Server.Dashboard.Services;

/// <summary>
/// The dashboard finds a strategy's pages through its <see cref="StrategyDescriptor.DashboardSection"/>, never by its
/// name: the menu lists the sections of the registered strategies, and a section's pages edit the strategy that names it.
/// </summary>
public static class StrategySections
{
    /// <summary>The sections of the registered strategies, in menu order.</summary>
    public static IReadOnlyList<string> Sections(this ConnectionCache strategies) =>
        [.. strategies.Strategies.Select(s => strategies.FindStrategy(s)!.Descriptor.DashboardSection).OfType<string>().Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The strategy whose pages the section holds; null when no registered strategy names it.</summary>
    public static string? StrategyOf(this ConnectionCache strategies, string section) =>
        strategies.Strategies.FirstOrDefault(s => strategies.FindStrategy(s)!.Descriptor.DashboardSection == section);

    /// <summary>The menu label of a section: "database" is "Database".</summary>
    public static string Label(string section) => string.IsNullOrEmpty(section) ? section : char.ToUpperInvariant(section[0]) + section[1..];
}

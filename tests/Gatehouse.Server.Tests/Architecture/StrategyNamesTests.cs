using System.Text.RegularExpressions;

namespace Gatehouse.Server.Tests.Architecture;

/// <summary>
/// No cross-cutting file names a strategy (docs/architecture.md, "Adding a strategy"): outside the files listed there,
/// src/Gatehouse.Core and src/Gatehouse.Server hold no strategy name as a string literal and no reference to a strategy
/// assembly or its types. Comments may name strategies as examples; code may not.
/// </summary>
public sealed partial class StrategyNamesTests
{
    /// <summary>The files that may, each with its reason in docs/architecture.md; a folder ends with '/'.</summary>
    private static readonly string[] Allowed =
    [
        "src/Gatehouse.Server/Hosting/GatehouseServices.cs",
        "src/Gatehouse.Server/Hosting/AzureAdSettings.cs",
        "src/Gatehouse.Server/Hosting/DemoEmulator.cs",
        "src/Gatehouse.Server/Hosting/DemoSeeder.cs",
        "src/Gatehouse.Server/Sessions/SsoSessions.cs",
        "src/Gatehouse.Server/Dashboard/Pages/Connections/Database/",
        "src/Gatehouse.Server/Dashboard/Pages/Connections/Enterprise/",
    ];

    [GeneratedRegex("""
        "(waad|auth0)"|\bGatehouse\.Connections\.|\bWaad[A-Z]\w*|\bDatabaseConnection\w*|\bAzureAd(?!Settings\b|Emulator\b)[A-Z]\w*
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex StrategyName();

    // A line comment, not "//" inside a URL such as "https://...".
    [GeneratedRegex("(?<![:\"])//.*$")]
    private static partial Regex LineComment();

    [Fact]
    public void Core_and_server_code_names_no_strategy_outside_the_listed_files()
    {
        var root = RepositoryRoot();
        var offenders = new[] { "src/Gatehouse.Core", "src/Gatehouse.Server" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(root, dir), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Where(f => !Allowed.Any(a => a.EndsWith('/') ? f.StartsWith(a, StringComparison.Ordinal) : f == a))
            .SelectMany(f => File.ReadLines(Path.Combine(root, f)).Select((line, i) => (File: f, Line: i + 1, Code: LineComment().Replace(line, ""))))
            .Where(l => StrategyName().IsMatch(l.Code))
            .Select(l => $"{l.File}:{l.Line}: {l.Code.Trim()}")
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_pattern_catches_what_it_is_meant_to()
    {
        Assert.Matches(StrategyName(), "\"waad\" or \"ad\" => \"enterprise\"");
        Assert.Matches(StrategyName(), "using Gatehouse.Connections.AzureAd;");
        Assert.Matches(StrategyName(), "WaadNaming.FromDomain(domain)");
        Assert.Matches(StrategyName(), "DatabaseConnectionStrategy.Name");
        Assert.DoesNotMatch(StrategyName(), LineComment().Replace("var x = 1; // e.g. \"waad\"", ""));
        Assert.DoesNotMatch(StrategyName(), "headers[\"auth0-forwarded-for\"]");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Gatehouse.slnx not found above " + AppContext.BaseDirectory);
    }
}

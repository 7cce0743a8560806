using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Core.Claims;
using Gatehouse.Core.Membership;

namespace Gatehouse.Bench.Micro;

/// <summary>
/// The CPU a token costs for issue 19's group work, on one thread in process: reading a user's 1,000 stored groups
/// (the waad profile), mapping them to roles with a 100-rule mapping, and filtering and capping the groups claim.
/// usage: Gatehouse.Bench.Micro [--quick]. Prints a markdown table (docs/benchmarks.md, "Microbenchmarks").
/// </summary>
internal static class Program
{
    private const int Groups = 1000;

    public static int Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var attributes = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["groups"] = Enumerable.Range(1, Groups).Select(i => $"Group {i:D4}").ToArray(),
            ["group_ids"] = Enumerable.Range(1, Groups).Select(GroupId).ToArray(),
            ["roles"] = new[] { "Orders.Read", "Orders.Write" },
            ["upn"] = "megan@contoso.example", ["tenantid"] = "9188040d-6c67-4c5b-b112-36a304b66dad",
        });
        // 100 rules, half by object id and half by display name, spread over the groups; one on an app role.
        var rules = Enumerable.Range(0, 50).Select(i => new RoleMappingRule(RoleMappingSource.Group, GroupId(i * 20 + 1), [RoleId(i)]))
            .Concat(Enumerable.Range(0, 49).Select(i => new RoleMappingRule(RoleMappingSource.Group, $"Group {i * 20 + 10:D4}", [RoleId(50 + i)])))
            .Append(new RoleMappingRule(RoleMappingSource.AppRole, "Orders.Write", [RoleId(99)])).ToList();
        var mapping = new RoleMapping(rules);
        var claims = new ClaimSettings("https://claims.example/", [ClaimKinds.Groups], [], GroupClaimFormat.Names, "Group 00", null, 100);
        var profile = WaadDirectoryProfile.Read(attributes);
        if (mapping.Map(profile).Count != 100 || CustomClaims.Groups(claims, profile).Groups.Count != 99)
        {
            Console.Error.WriteLine("the benchmark's own check failed: the mapping or the claim filter changed meaning");
            return 1;
        }

        var iterations = quick ? 200 : 20_000;
        Console.WriteLine($"| step (1,000 groups) | CPU µs/op | allocated KB/op |");
        Console.WriteLine("|---|---:|---:|");
        Report("read the stored profile (waad attributes → DirectoryProfile)", iterations, () => WaadDirectoryProfile.Read(attributes));
        Report("map to roles (100 rules)", iterations, () => mapping.Map(profile));
        Report("groups claim: prefix filter and cap", iterations, () => CustomClaims.Groups(claims, profile));
        Report("all three: one token's group work", iterations, () => CustomClaims.Groups(claims, profile) is var g
            && mapping.Map(WaadDirectoryProfile.Read(attributes)).Count + g.Groups.Count > 0);
        return 0;
    }

    private static string GroupId(int i) => $"7a8b9c0d-1e2f-4a3b-8c4d-{i:x12}";

    private static string RoleId(int i) => $"rol_bench{i:D11}";

    /// <summary>Warms up, then runs the step on this thread and divides the process's CPU time and this thread's allocations by the count.</summary>
    private static void Report(string name, int iterations, Func<object> step)
    {
        for (var i = 0; i < Math.Max(50, iterations / 20); i++)
            step();
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
            step();
        process.Refresh();
        var micros = (process.TotalProcessorTime - cpu).TotalMicroseconds / iterations;
        var kb = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1024.0 / iterations;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {micros:F1} | {kb:F1} |"));
    }
}

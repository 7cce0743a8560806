namespace Gatehouse.AzureAd.Emulator;

/// <summary>Finds a cycle among nested groups (Entra refuses circular nesting).</summary>
internal static class GroupCycles
{
    public static string? Find(IReadOnlyList<SeedGroup> groups, HashSet<string> groupIds)
    {
        var children = groups
            .GroupBy(g => g.Id, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Members.Where(groupIds.Contains).ToList(), StringComparer.OrdinalIgnoreCase);
        var state = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase); // 1 visiting, 2 done
        var stack = new List<string>();
        foreach (var id in children.Keys)
        {
            var cycle = Visit(id, children, state, stack);
            if (cycle is not null) return cycle;
        }
        return null;
    }

    private static string? Visit(string id, Dictionary<string, List<string>> children, Dictionary<string, int> state, List<string> stack)
    {
        if (state.TryGetValue(id, out var s))
            return s == 1 ? string.Join(" -> ", stack.SkipWhile(x => !string.Equals(x, id, StringComparison.OrdinalIgnoreCase)).Append(id)) : null;
        state[id] = 1;
        stack.Add(id);
        foreach (var child in children.GetValueOrDefault(id) ?? [])
        {
            var cycle = Visit(child, children, state, stack);
            if (cycle is not null) return cycle;
        }
        stack.RemoveAt(stack.Count - 1);
        state[id] = 2;
        return null;
    }
}

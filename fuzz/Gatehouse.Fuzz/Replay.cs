namespace Gatehouse.Fuzz;

/// <summary>
/// Runs every given input once, folders recursively and in ordinal path order, so a run is the same on every machine:
/// the corpus's seeds and its <c>regressions/</c> (inputs that once crashed). Every crash is reported, not only the first.
/// </summary>
internal static class Replay
{
    public static int Run(string name, Action<byte[]> target, IEnumerable<string> paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p])
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine($"{name}: no inputs to replay");
            return 1;
        }
        var crashes = files.Count(file => !Crashes.Run(name, target, File.ReadAllBytes(file), file, findingsDir: null));
        Console.WriteLine($"{name}: replayed {files.Count} inputs, {crashes} crashes");
        return crashes == 0 ? 0 : 1;
    }
}

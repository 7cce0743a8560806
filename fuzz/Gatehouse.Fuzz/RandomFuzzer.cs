namespace Gatehouse.Fuzz;

/// <summary>
/// The fallback when AFL++ is not there: mutates the corpus (bit flips, byte insertions and deletions, splices,
/// interesting bytes) without coverage feedback for a fixed time. Finds less than AFL, but finds the same kind of bug.
/// </summary>
internal static class RandomFuzzer
{
    private static readonly byte[] Interesting = "\0\"\\{}[]:,&=%+*~^()\n\r\t\u00ff"u8.ToArray();

    public static int Run(string name, Action<byte[]> target, TimeSpan duration, string corpusDir, string findingsDir)
    {
        var corpus = Directory.Exists(corpusDir)
            ? Directory.GetFiles(corpusDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList()
            : [];
        if (corpus.Count == 0)
            corpus.Add([]);
        // Exploration, not a test: a new seed each run, printed so a run can be repeated (the crash input is saved anyway).
        var seed = Random.Shared.Next();
        Console.WriteLine($"{name}: coverage-less mutator, seed {seed}");
        var random = new Random(seed);
        var deadline = DateTime.UtcNow + duration;
        long runs = 0;
        while (DateTime.UtcNow < deadline)
        {
            var input = Mutate(random, corpus[random.Next(corpus.Count)], corpus[random.Next(corpus.Count)]);
            if (!Crashes.Run(name, target, input, $"run {runs}", findingsDir))
                return 1;
            runs++;
        }
        Console.WriteLine($"{name}: {runs} runs, no crash");
        return 0;
    }

    private static byte[] Mutate(Random random, byte[] seed, byte[] other)
    {
        var data = new List<byte>(seed);
        for (var n = random.Next(1, 8); n > 0; n--)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0 when data.Count > 0: data[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: data.Insert(at, Interesting[random.Next(Interesting.Length)]); break;
                case 2 when data.Count > 0: data.RemoveAt(at); break;
                case 3: data.Insert(at, (byte)random.Next(256)); break;
                case 4 when other.Length > 0:
                    var from = random.Next(other.Length);
                    data.InsertRange(at, other.Skip(from).Take(random.Next(1, 16)));
                    break;
                default: if (data.Count > 0) data[at] = (byte)random.Next(256); break;
            }
        }
        return [.. data.Take(64 * 1024)];
    }
}

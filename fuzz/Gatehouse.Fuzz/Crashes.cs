using System.Security.Cryptography;

namespace Gatehouse.Fuzz;

/// <summary>
/// How a crash is reported, wherever it was found: the exception, the input in base64 (so a log alone is enough to
/// reproduce it), and, when a findings folder is given, the input saved there under its hash (the same crash found
/// twice is one file).
/// </summary>
internal static class Crashes
{
    /// <summary>Runs one input; false (after reporting) when the target threw.</summary>
    public static bool Run(string name, Action<byte[]> target, byte[] input, string source, string? findingsDir)
    {
        try
        {
            target(input);
            return true;
        }
        catch (Exception e)
        {
            Report(name, input, e, source, findingsDir);
            return false;
        }
    }

    public static void Report(string name, byte[] input, Exception exception, string source, string? findingsDir)
    {
        Console.Error.WriteLine($"{name}: CRASH on {source}");
        Console.Error.WriteLine($"  input (base64): {Convert.ToBase64String(input)}");
        if (findingsDir is not null)
        {
            Directory.CreateDirectory(findingsDir);
            var path = Path.Combine(findingsDir, "crash-" + Convert.ToHexStringLower(SHA256.HashData(input))[..16]);
            File.WriteAllBytes(path, input);
            Console.Error.WriteLine($"  saved: {path}");
        }
        Console.Error.WriteLine("  " + exception.ToString().ReplaceLineEndings("\n  "));
    }
}

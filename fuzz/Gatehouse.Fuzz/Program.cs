using Gatehouse.Fuzz;

// Usage: Gatehouse.Fuzz <target>                      AFL++ mode (run under afl-fuzz, instrumented with sharpfuzz)
//        Gatehouse.Fuzz <target> --random <seconds> <corpus-dir>   coverage-less mutation of the corpus, in process
//        Gatehouse.Fuzz <target> --replay <file>...               run inputs once (a crash reproduces here)
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Gatehouse.Fuzz <{string.Join('|', FuzzTargets.All.Keys)}> [--random <seconds> <corpus-dir> | --replay <file>...]");
    return 2;
}

if (args.Length >= 2 && args[1] == "--replay")
{
    foreach (var file in args.Skip(2))
        target(File.ReadAllBytes(file));
    return 0;
}

if (args.Length >= 4 && args[1] == "--random")
    return RandomFuzzer.Run(args[0], target, TimeSpan.FromSeconds(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)), args[3]);

SharpFuzz.Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;

using Gatehouse.Fuzz;

// Usage: Gatehouse.Fuzz <target>                       AFL++ mode (run under afl-fuzz, instrumented with sharpfuzz)
//        Gatehouse.Fuzz <target> --replay <file|dir>...  every input once, in a fixed order (fuzz/replay, CI); exit 1 on a crash
//        Gatehouse.Fuzz <target> --random <seconds> <corpus-dir> <findings-dir>   coverage-less mutation, in process
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Gatehouse.Fuzz <{string.Join('|', FuzzTargets.All.Keys)}> [--replay <file|dir>... | --random <seconds> <corpus-dir> <findings-dir>]");
    return 2;
}

if (args.Length >= 2 && args[1] == "--replay")
    return Replay.Run(args[0], target, args[2..]);

if (args.Length >= 5 && args[1] == "--random")
    return RandomFuzzer.Run(args[0], target, TimeSpan.FromSeconds(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)), args[3], args[4]);

SharpFuzz.Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;

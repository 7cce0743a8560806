namespace Gatehouse.Server.Hosting;

/// <summary>The command-line switches, mapped onto configuration keys.</summary>
public static class CommandLine
{
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--data-dir"] = "Gatehouse:DataDir",
        ["--public-url"] = "Gatehouse:PublicUrl",
        ["--dev-cert"] = "Gatehouse:DevCert",
        ["--demo"] = "Gatehouse:Demo",
    };

    private static readonly string[] Flags = ["--dev-cert", "--demo"];

    /// <summary>Lets the flags stand alone (<c>--demo</c>) by giving them the value <c>true</c>.</summary>
    public static string[] Normalize(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new List<string>(args.Length + 2);
        for (var i = 0; i < args.Length; i++)
        {
            result.Add(args[i]);
            var isBareFlag = Flags.Contains(args[i], StringComparer.OrdinalIgnoreCase);
            var nextIsValue = i + 1 < args.Length && !args[i + 1].StartsWith('-') && bool.TryParse(args[i + 1], out _);
            if (isBareFlag && !nextIsValue)
                result.Add("true");
        }
        return [.. result];
    }
}

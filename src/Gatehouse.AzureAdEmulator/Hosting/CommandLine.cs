namespace Gatehouse.AzureAd.Emulator.Hosting;

/// <summary>The executable's arguments. Only loopback addresses are accepted.</summary>
internal sealed record CommandLine(bool Https, int Port, string? SeedPath, string CaOut, string? WriteDefaultSeed)
{
    public const string Usage =
        "usage: Gatehouse.AzureAdEmulator [--urls https://127.0.0.1:PORT|http://127.0.0.1:PORT] [--seed seed.json] [--ca-out ca.pem]\n" +
        "       Gatehouse.AzureAdEmulator --write-default-seed seed.json";

    public static CommandLine Parse(string[] args)
    {
        var urls = "https://127.0.0.1:5443";
        string? seed = null, writeSeed = null;
        var caOut = "azure-ad-emulator-ca.pem";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--urls": urls = value; break;
                case "--seed": seed = value; break;
                case "--ca-out": caOut = value; break;
                case "--write-default-seed": writeSeed = value; break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
            i++;
        }
        if (!Uri.TryCreate(urls.Split(';')[0], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--urls '{urls}' is not an http(s) URL");
        if (uri.Host is not ("127.0.0.1" or "localhost"))
            throw new ArgumentException($"--urls must bind loopback (127.0.0.1 or localhost), not '{uri.Host}'");
        return new CommandLine(uri.Scheme == "https", uri.Port, seed, caOut, writeSeed);
    }
}

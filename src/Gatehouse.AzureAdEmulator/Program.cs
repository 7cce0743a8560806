using Gatehouse.AzureAd.Emulator.Hosting;

namespace Gatehouse.AzureAd.Emulator;

/// <summary>
/// dotnet run --project src/Gatehouse.AzureAdEmulator -- --urls https://127.0.0.1:PORT [--seed seed.json] [--ca-out ca.pem]
/// dotnet run --project src/Gatehouse.AzureAdEmulator -- --write-default-seed seed.json
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            var options = CommandLine.Parse(args);
            if (options.WriteDefaultSeed is not null)
            {
                await File.WriteAllTextAsync(options.WriteDefaultSeed, SeedJson.Serialize(EmulatorSeed.Default));
                Console.WriteLine($"Wrote the default seed to {options.WriteDefaultSeed}");
                return 0;
            }
            var seed = options.SeedPath is null ? EmulatorSeed.Default : SeedJson.Load(options.SeedPath);
            using var runtime = new EmulatorRuntime(seed, TimeProvider.System);
            using var tls = options.Https ? TlsCertificates.Create() : null;
            if (tls is not null) await File.WriteAllTextAsync(options.CaOut, tls.CaPem);
            await using var app = EmulatorApp.Build(runtime, tls, options.Port, consoleLogging: true);
            await app.StartAsync();
            Console.WriteLine($"Azure AD emulator listening on {string.Join(", ", app.Urls)}");
            if (tls is not null) Console.WriteLine($"CA certificate (PEM): {Path.GetFullPath(options.CaOut)}");
            await app.WaitForShutdownAsync();
            return 0;
        }
        catch (SeedValidationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 66;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync(CommandLine.Usage);
            return 64;
        }
    }
}

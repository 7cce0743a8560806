using Gatehouse.AzureAd.Emulator;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// --demo without a configured Azure AD: runs the Azure AD emulator (default seed, HTTPS on a free loopback port)
/// inside the Gatehouse process and points the <c>AzureAd</c> settings at it, so the demo's waad connections work
/// offline. The same connections reach login.microsoftonline.com when AzureAd:AuthorityUrl is not set and there is no --demo.
/// </summary>
public static class DemoEmulator
{
    public const string CaFileName = "emulator-ca.pem";

    public static async Task<AzureAdEmulator?> StartIfNeededAsync(IConfigurationManager configuration, GatehouseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Demo || !string.IsNullOrEmpty(configuration[$"{AzureAdSettings.Section}:{nameof(AzureAdSettings.AuthorityUrl)}"]))
            return null;
        var emulator = await AzureAdEmulator.StartAsync(new EmulatorOptions { CaCertificatePath = settings.DataFile(CaFileName) });
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{AzureAdSettings.Section}:{nameof(AzureAdSettings.AuthorityUrl)}"] = emulator.BaseUrl,
            [$"{AzureAdSettings.Section}:{nameof(AzureAdSettings.GraphUrl)}"] = emulator.MicrosoftGraphBaseUrl,
            [$"{AzureAdSettings.Section}:{nameof(AzureAdSettings.AadGraphUrl)}"] = emulator.AadGraphBaseUrl,
            [$"{AzureAdSettings.Section}:{nameof(AzureAdSettings.TrustedCaFile)}"] = emulator.CaCertificatePath,
        });
        return emulator;
    }
}

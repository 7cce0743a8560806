namespace Gatehouse.AzureAd.Emulator.Tests.Support;

/// <summary>One HTTPS emulator with the default seed, shared by the tests of a class that do not change it.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public AzureAdEmulator Emulator { get; private set; } = null!;
    public StsClient Sts { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await AzureAdEmulator.StartAsync();
        Sts = new StsClient(Emulator);
    }

    public async Task DisposeAsync()
    {
        Sts.Dispose();
        await Emulator.DisposeAsync();
    }
}

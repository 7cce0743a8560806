using Gatehouse.AzureAd.Emulator.Interactive;
using Gatehouse.AzureAd.Emulator.Tokens;

namespace Gatehouse.AzureAd.Emulator.Hosting;

/// <summary>The emulator's state and services, shared by every endpoint of one emulator instance.</summary>
internal sealed class EmulatorRuntime : IDisposable
{
    public EmulatorRuntime(EmulatorSeed seed, TimeProvider time)
    {
        Time = time;
        Directory = new EmulatorDirectory(seed, time);
        Keys = new SigningKeys(time);
        Tokens = new TokenFactory(Keys, time);
        Cache = new TokenCache(time);
        Faults = new FaultInjector(Keys);
        Interactive = new InteractiveState(time);
    }

    public TimeProvider Time { get; }
    public EmulatorDirectory Directory { get; }
    public SigningKeys Keys { get; }
    public TokenFactory Tokens { get; }
    public TokenCache Cache { get; }
    public RefreshTokens RefreshTokens { get; } = new();
    public FaultInjector Faults { get; }
    public SignInLog SignInLog { get; } = new();
    public InteractiveState Interactive { get; }

    public void Dispose() => Keys.Dispose();
}

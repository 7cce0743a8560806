namespace Gatehouse.AzureAd.Emulator;

/// <summary>How to start an emulator. Everything is optional.</summary>
public sealed record EmulatorOptions
{
    /// <summary>The directory; <see cref="EmulatorSeed.Default"/> when null.</summary>
    public EmulatorSeed? Seed { get; init; }
    /// <summary>Serve HTTPS with a generated certificate (MSAL needs https authorities); false = plain HTTP.</summary>
    public bool Https { get; init; } = true;
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }
    /// <summary>Clock for tokens, lockout and secret expiry (TLS certificates always use the real clock).</summary>
    public TimeProvider? TimeProvider { get; init; }
    /// <summary>Where to write the CA certificate PEM; a temporary file (deleted on dispose) when null.</summary>
    public string? CaCertificatePath { get; init; }
}

namespace Gatehouse.Bench.Load.Hosts;

/// <summary>Where the Release builds of the measured servers are (bench/run builds them first).</summary>
public sealed record BenchPaths(string Gatehouse, string Emulator, string Peer)
{
    public static BenchPaths FromRepo(string root, string configuration = "Release") => new(
        Path.Combine(root, "src/Gatehouse.Server/bin", configuration, "net10.0/Gatehouse.Server.dll"),
        Path.Combine(root, "src/Gatehouse.AzureAdEmulator/bin", configuration, "net10.0/Gatehouse.AzureAdEmulator.dll"),
        Path.Combine(root, "bench/peers/OpenIddictPeer/bin", configuration, "net10.0/OpenIddictPeer.dll"));
}

using System.Runtime.Versioning;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Storage;

namespace Gatehouse.Server.Tests.Security;

/// <summary>
/// The data dir holds the database (password hashes, personal data), the master key and the bootstrap credentials:
/// on a fresh start every folder Gatehouse makes is 700 and every secret file 600, the SQLite -wal and -shm included.
/// </summary>
public sealed class DataDirModesTests
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task A_fresh_data_dir_is_readable_by_its_owner_only()
    {
        await using var server = await GatehouseTestServer.StartAsync();
        // A write with the server running: SQLite makes -wal and -shm on the first write and keeps them while open.
        var management = await server.CreateManagementClientAsync();
        (await management.PostAsync("resource-servers", new StringContent("""{"identifier":"https://modes.example/"}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var database = Path.Combine(server.DataDir, StorageOptions.SqliteFileName);
        foreach (var file in new[] { database, database + "-wal", database + "-shm", Path.Combine(server.DataDir, "keys", "master.key"), Path.Combine(server.DataDir, "bootstrap.json") })
            Assert.Equal((file, UnixFileMode.UserRead | UnixFileMode.UserWrite), (file, File.GetUnixFileMode(file)));
        foreach (var folder in new[] { server.DataDir, Path.Combine(server.DataDir, "keys"), Path.Combine(server.DataDir, "keys", "data-protection") })
            Assert.Equal((folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), (folder, File.GetUnixFileMode(folder)));
        // Everything else too, but the dev CA, which is a public certificate (curl --cacert reads it).
        var open = Directory.EnumerateFiles(server.DataDir, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != Hosting.DevCertificate.CaFileName && (File.GetUnixFileMode(f) & GroupOrOther) != 0)
            .Select(f => $"{Path.GetRelativePath(server.DataDir, f)} {File.GetUnixFileMode(f)}");
        Assert.Empty(open);
    }
}

using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Security;

/// <summary>The dashboard's cookie keys are kept in the data dir, encrypted with the master key, and survive a restart.</summary>
public sealed class DataProtectionKeysTests
{
    [Fact]
    public async Task Keys_are_encrypted_in_the_data_dir_and_a_restart_reads_them()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "gatehouse-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string payload;
            await using (var first = await GatehouseTestServer.StartAsync(c => c["Gatehouse:DataDir"] = dataDir))
                payload = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("cookie content");

            var keyFile = Assert.Single(Directory.GetFiles(Path.Combine(dataDir, "keys", "data-protection"), "key-*.xml"));
            var xml = await File.ReadAllTextAsync(keyFile);
            Assert.Contains("gatehouseEncrypted", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal); // the framework's plain form of the key
            Assert.Contains("DataProtectionKeys+Decryptor", xml, StringComparison.Ordinal);

            await using var second = await GatehouseTestServer.StartAsync(c => c["Gatehouse:DataDir"] = dataDir);
            Assert.Equal("cookie content", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(payload));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

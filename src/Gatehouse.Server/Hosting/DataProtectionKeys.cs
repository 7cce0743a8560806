using System.Xml.Linq;
using Gatehouse.Core.Security;
using Gatehouse.Storage;
using Gatehouse.Storage.Cluster;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// ASP.NET Core's data-protection keys (they sign the dashboard's cookie and antiforgery tokens) are encrypted with
/// the master key like every other secret at rest. On PostgreSQL they live in the database, so every node of a
/// cluster reads the same keys and a cookie written by one node opens on another; otherwise in
/// <c>&lt;data-dir&gt;/keys/data-protection</c>. The framework's default would be ~/.aspnet/DataProtection-Keys in
/// plain XML, outside the data dir.
/// </summary>
public static class DataProtectionKeys
{
    public const string Purpose = "data-protection-key";

    public static IServiceCollection AddGatehouseDataProtection(this IServiceCollection services, GatehouseSettings settings, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var protection = services.AddDataProtection().SetApplicationName("Gatehouse");
        if (!protection.TryPersistKeysToStorage(storage))
        {
            var folder = settings.DataFile("keys", "data-protection");
            SecureFile.CreateDirectory(folder); // before the framework makes it with the umask's mode
            protection.PersistKeysToFileSystem(new DirectoryInfo(folder));
        }
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlEncryptor = new Encryptor(sp.GetRequiredService<ISecretProtector>())));
        return services;
    }

    private sealed class Encryptor(ISecretProtector protector) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement)
        {
            ArgumentNullException.ThrowIfNull(plaintextElement);
            var encrypted = new XElement("gatehouseEncrypted", protector.Protect(plaintextElement.ToString(SaveOptions.DisableFormatting), Purpose));
            return new EncryptedXmlInfo(encrypted, typeof(Decryptor));
        }
    }

    /// <summary>Made by the framework from the type name stored beside each key (hence public, with this constructor).</summary>
    public sealed class Decryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            ArgumentNullException.ThrowIfNull(encryptedElement);
            return XElement.Parse(services.GetRequiredService<ISecretProtector>().Unprotect(encryptedElement.Value, Purpose));
        }
    }
}

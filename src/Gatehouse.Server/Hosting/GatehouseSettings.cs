namespace Gatehouse.Server.Hosting;

/// <summary>The <c>Gatehouse</c> configuration section (switches --data-dir, --public-url, --dev-cert, --demo).</summary>
public sealed class GatehouseSettings
{
    public const string Section = "Gatehouse";

    /// <summary>Where the SQLite database, the master key, the dev certificate and bootstrap.json live.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>The issuer base URL; default: the first address Kestrel listens on.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Serve HTTPS with a self-signed certificate for 127.0.0.1 and localhost, made once in the data dir.</summary>
    public bool DevCert { get; set; }

    /// <summary>Seed a demo connection, native app, API and users, and write demo.json.</summary>
    public bool Demo { get; set; }

    public string FullDataDir => Path.GetFullPath(DataDir);

    public string DataFile(params string[] parts) => Path.Combine([FullDataDir, .. parts]);
}

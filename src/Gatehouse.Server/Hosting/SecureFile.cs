namespace Gatehouse.Server.Hosting;

/// <summary>
/// Files only the owner may read (mode 600 on Unix): master key, bootstrap.json, demo.json; and the folders Gatehouse
/// makes for them (the data dir, keys/), mode 700.
/// </summary>
internal static class SecureFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;

    /// <summary>
    /// Makes a missing folder mode 700 (parents made on the way get the umask's mode, as with mkdir -p -m 700); an
    /// existing one keeps the mode its owner chose.
    /// </summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, OwnerOnlyFolder);
    }

    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(path, options))
            stream.Write(content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, OwnerOnly);
    }

    public static void WriteText(string path, string content) => Write(path, System.Text.Encoding.UTF8.GetBytes(content));
}

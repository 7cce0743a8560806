using System.Runtime.Versioning;

namespace Gatehouse.Storage.Sqlite;

/// <summary>
/// The database holds password hashes and personal data, so only the server's own user may read it: the file is made
/// (or narrowed to) mode 600 before SQLite opens it, in a folder made with mode 700. SQLite creates the <c>-wal</c> and
/// <c>-shm</c> files later, on the first write, with the database file's own mode, so they are 600 too; ones an older
/// version left wider are narrowed here. Done by mode, not by umask, which would change every file the process makes.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class SqliteFileModes
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerReadWrite | UnixFileMode.UserExecute;

    public static void OwnerOnly(string databasePath)
    {
        if (Path.GetDirectoryName(databasePath) is { Length: > 0 } directory && !Directory.Exists(directory))
            Directory.CreateDirectory(directory, OwnerFolder);
        if (!File.Exists(databasePath))
        {
            // An empty file is a valid empty SQLite database; CreateNew leaves one a concurrent start made alone.
            try
            {
                using var _ = new FileStream(databasePath, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite,
                });
            }
            catch (IOException) when (File.Exists(databasePath))
            {
            }
        }
        foreach (var path in new[] { databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-journal" })
        {
            if (File.Exists(path) && (File.GetUnixFileMode(path) & ~OwnerReadWrite) != 0)
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) & OwnerReadWrite);
        }
    }
}

using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ClusterTemplate.Primary.Processes;

/// <summary>
/// One primary per cluster: an exclusive <c>flock</c> on <see cref="FileName"/> in the runtime folder, held
/// for the primary's life and released by the kernel however it ends. It holds the primary's pid, so a second
/// primary can say which one runs. Needed because in reuseport mode the primary holds no socket on the port.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class ClusterLock : IDisposable
{
    public const string FileName = "primary.lock";

    private const int Attempts = 3;

    private readonly string _path;
    private readonly SafeFileHandle _handle;

    private ClusterLock(string path, SafeFileHandle handle)
    {
        _path = path;
        _handle = handle;
    }

    /// <summary>Takes the lock of the cluster in <paramref name="folder"/>, or throws a <see cref="RuntimeDirectoryException"/> naming the primary that holds it.</summary>
    public static ClusterLock Acquire(string folder, int port)
    {
        var path = Path.Combine(folder, FileName);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var handle = UnixFiles.Open(path, create: true, out var error)
                ?? throw new RuntimeDirectoryException(RuntimeFolderRules.CannotCreate(folder, $"its lock file: {UnixFiles.Describe(error)}"));
            error = UnixFiles.TryLock(handle, exclusive: true);
            if (error != 0)
            {
                var holder = ReadProcessId(handle);
                handle.Dispose();
                throw new RuntimeDirectoryException(RuntimeFolderRules.AnotherPrimary(port, holder, folder));
            }

            // A primary stopping between our open and our lock deletes the file we locked: lock the one at the path.
            if (!IsFileAtPath(handle, path))
            {
                handle.Dispose();
                continue;
            }

            RandomAccess.SetLength(handle, 0);
            RandomAccess.Write(handle, Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"), 0);
            return new ClusterLock(path, handle);
        }

        throw new RuntimeDirectoryException(RuntimeFolderRules.AnotherPrimary(port, processId: null, folder));
    }

    /// <summary>Whether a live primary holds the lock in <paramref name="folder"/>, and its pid if it says; changes nothing.</summary>
    public static bool IsHeld(string folder, out int? processId)
    {
        processId = null;
        using var handle = UnixFiles.Open(Path.Combine(folder, FileName), create: false, out _);
        if (handle is null || UnixFiles.TryLock(handle, exclusive: false) == 0)
        {
            return false; // no lock file, or one a dead primary left: closing the handle lets the shared lock go
        }

        processId = ReadProcessId(handle);
        return true;
    }

    /// <summary>Deletes the lock file, then lets the lock go.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(_path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }

        _handle.Dispose();
    }

    private static bool IsFileAtPath(SafeFileHandle handle, string path) =>
        UnixFiles.GetStatus(handle) is not { } open
        || (UnixFiles.TryGetStatus(path, followLinks: false, out var atPath) == 0 && atPath.Device == open.Device && atPath.Inode == open.Inode);

    private static int? ReadProcessId(SafeFileHandle handle)
    {
        var buffer = new byte[16];
        var read = RandomAccess.Read(handle, buffer, 0);
        return int.TryParse(Encoding.ASCII.GetString(buffer, 0, read).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}

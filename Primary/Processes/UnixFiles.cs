using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ClusterTemplate.Primary.Processes;

/// <summary>
/// The few POSIX file calls .NET does not offer: an atomic <c>mkdir</c> that fails on an existing path,
/// <c>lstat</c> with the owner, and <c>open</c> plus <c>flock</c> without .NET's own advisory locking.
/// </summary>
internal static class UnixFiles
{
    public const int NoSuchFile = 2; // ENOENT
    public const int AlreadyExists = 17; // EEXIST

    private const int CurrentFolder = -100; // AT_FDCWD
    private const int DoNotFollowLinks = 0x100; // AT_SYMLINK_NOFOLLOW
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH
    private const uint BasicStats = 0x7FF; // STATX_BASIC_STATS
    private const int LockShared = 1;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    /// <summary>Creates a folder with <paramref name="permissions"/>; 0, or the errno (<see cref="AlreadyExists"/> when anything is at the path).</summary>
    public static int MakeDirectory(string path, int permissions) =>
        mkdir(path, (uint)permissions) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>The status of <paramref name="path"/>, of a link itself unless <paramref name="followLinks"/>; 0, or the errno.</summary>
    public static int TryGetStatus(string path, bool followLinks, out UnixFileStatus status)
    {
        if (!OperatingSystem.IsLinux())
        {
            return TryGetManagedStatus(path, followLinks, out status);
        }

        var buffer = new byte[256];
        if (statx(CurrentFolder, path, followLinks ? 0 : DoNotFollowLinks, BasicStats, buffer) != 0)
        {
            status = default;
            return Marshal.GetLastPInvokeError();
        }

        status = FromStatx(buffer);
        return 0;
    }

    /// <summary>The status of an open file.</summary>
    public static UnixFileStatus? GetStatus(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return statx((int)handle.DangerousGetHandle(), "", EmptyPath, BasicStats, buffer) == 0 ? FromStatx(buffer) : null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Opens (with <paramref name="create"/>, creates with mode 0600) a file for reading and writing; or the errno.</summary>
    public static SafeFileHandle? Open(string path, bool create, out int error)
    {
        var flags = 2 /* O_RDWR */ | (OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000) /* O_CLOEXEC */;
        if (create)
        {
            flags |= OperatingSystem.IsMacOS() ? 0x200 : 0x40; // O_CREAT
        }

        var descriptor = open(path, flags, 0x180 /* 0600 */);
        error = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        return descriptor < 0 ? null : new SafeFileHandle(descriptor, ownsHandle: true);
    }

    /// <summary>Takes an exclusive (or shared) <c>flock</c> without waiting; 0, or the errno (EWOULDBLOCK when another holds it).</summary>
    public static int TryLock(SafeFileHandle handle, bool exclusive)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return flock((int)handle.DangerousGetHandle(), (exclusive ? LockExclusive : LockShared) | LockNonBlocking) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The system's description of an errno, such as "Permission denied".</summary>
    public static string Describe(int error) => Marshal.GetPInvokeErrorMessage(error);

    private static UnixFileStatus FromStatx(byte[] buffer)
    {
        // struct statx: stx_uid at 20, stx_mode at 28, stx_ino at 32, stx_dev_major and _minor at 136 and 140.
        var mode = BitConverter.ToUInt16(buffer, 28);
        var kind = (mode & 0xF000) switch
        {
            0x4000 => UnixFileKind.Directory,
            0xA000 => UnixFileKind.SymbolicLink,
            0xC000 => UnixFileKind.Socket,
            _ => UnixFileKind.Other,
        };
        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return new UnixFileStatus(kind, mode & 0xFFF, BitConverter.ToUInt32(buffer, 20), device, BitConverter.ToUInt64(buffer, 32));
    }

    /// <summary>Elsewhere than Linux: the kind and mode from .NET, without the owner.</summary>
    private static int TryGetManagedStatus(string path, bool followLinks, out UnixFileStatus status)
    {
        status = default;
        FileSystemInfo info = new FileInfo(path);
        if (info.LinkTarget is not null && followLinks)
        {
            info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        }

        if (!info.Exists && !Directory.Exists(info.FullName) && info.LinkTarget is null)
        {
            return NoSuchFile;
        }

        var kind = info.LinkTarget is not null ? UnixFileKind.SymbolicLink
            : (info.Attributes & FileAttributes.Directory) != 0 ? UnixFileKind.Directory
            : UnixFileKind.Other;
        status = new UnixFileStatus(kind, OperatingSystem.IsWindows() ? 0 : (int)info.UnixFileMode, OwnerId: null, Device: 0, Inode: 0);
        return 0;
    }

#pragma warning disable SYSLIB1054 // Blittable calls; DllImport keeps AllowUnsafeBlocks off.
    [DllImport("libc", SetLastError = true)]
    private static extern int mkdir(string path, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int directory, string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int descriptor, int operation);
#pragma warning restore SYSLIB1054
}

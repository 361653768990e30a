using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Primary.Processes;

/// <summary>
/// What makes a runtime folder safe to hold the cluster's sockets, as checks that change nothing: its socket
/// paths fit a Unix socket address; it is a real folder (not a link) of this user with mode 0700; and every
/// folder above it can be changed only by this user or root (or is sticky, like /tmp), so nobody can swap it.
/// Each problem is one line naming <c>Cluster:RuntimeDirectory</c>.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class RuntimeFolderRules
{
    public const string Setting = "Cluster:RuntimeDirectory";

    /// <summary>rwx for the owner only.</summary>
    public const int PrivatePermissions = 0x1C0; // 0700

    // sun_path holds 108 bytes, the terminating zero included.
    private const int MaxSocketPathBytes = 107;

    /// <summary>The longest socket name the primary makes in the folder: the highest worker id at the highest generation.</summary>
    private static readonly string s_longestSocketName = string.Create(CultureInfo.InvariantCulture, $"worker-{ClusterOptions.MaxWorkers}-{int.MaxValue}.sock");

    /// <summary>Every problem that can be seen before anything is created, or <see langword="null"/>.</summary>
    public static string? Check(string path)
    {
        if (CheckLength(path) is { } tooLong)
        {
            return tooLong;
        }

        var error = UnixFiles.TryGetStatus(path, followLinks: false, out var status);
        if (error == 0)
        {
            return CheckExisting(path, status) ?? CheckAncestors(path);
        }

        return error == UnixFiles.NoSuchFile ? CheckAncestors(path) : CannotCreate(path, UnixFiles.Describe(error));
    }

    /// <summary>Whether the longest socket path in the folder fits a Unix socket address.</summary>
    public static string? CheckLength(string path)
    {
        var longest = Encoding.UTF8.GetByteCount(Path.Combine(path, s_longestSocketName));
        if (longest <= MaxSocketPathBytes)
        {
            return null;
        }

        var allowed = MaxSocketPathBytes - (longest - Encoding.UTF8.GetByteCount(path));
        return $"{Name(path)} is too long: socket paths in it would take up to {longest} bytes, over the {MaxSocketPathBytes} a Unix socket path holds; choose a folder path of at most {allowed} bytes.";
    }

    /// <summary>Whether what is at the path is a private folder of this user.</summary>
    public static string? CheckExisting(string path, UnixFileStatus status)
    {
        if (status.Kind == UnixFileKind.SymbolicLink)
        {
            return $"{Name(path)} is a symbolic link; the primary uses only a real folder (it makes one where nothing is); remove the link or choose another folder.";
        }

        if (status.Kind != UnixFileKind.Directory)
        {
            return $"{Name(path)} is not a folder; remove it or choose another path.";
        }

        if (status.OwnerId is { } owner && owner != UnixUser.EffectiveId)
        {
            return $"{Name(path)} belongs to uid {owner}, not to this user (uid {UnixUser.EffectiveId}); remove it or choose another folder.";
        }

        if ((status.Permissions & 0x1FF) != PrivatePermissions)
        {
            return $"{Name(path)} has mode {status.OctalPermissions}, not 0700: other users could reach the sockets in it; run 'chmod 700 {path}' or choose another folder.";
        }

        return null;
    }

    /// <summary>
    /// Whether every existing folder above the path can be changed only by this user or root (or is sticky): whoever
    /// else could would rename the runtime folder away and put their own in its place.
    /// </summary>
    public static string? CheckAncestors(string path)
    {
        for (var ancestor = Path.GetDirectoryName(path); ancestor is not null; ancestor = Path.GetDirectoryName(ancestor))
        {
            // A link's owner may point it elsewhere at any time, even in a sticky folder such as /tmp.
            if (UnixFiles.TryGetStatus(ancestor, followLinks: false, out var link) == 0 && link.Kind == UnixFileKind.SymbolicLink && IsForeign(link.OwnerId))
            {
                return $"{Name(path)} is inside '{ancestor}', a symbolic link of uid {link.OwnerId}; choose a folder inside folders only this user or root can change.";
            }

            var error = UnixFiles.TryGetStatus(ancestor, followLinks: true, out var status);
            if (error == UnixFiles.NoSuchFile)
            {
                continue; // made by the primary, private
            }

            if (error != 0)
            {
                return CannotCreate(path, $"'{ancestor}': {UnixFiles.Describe(error)}");
            }

            if (status.Kind != UnixFileKind.Directory)
            {
                return CannotCreate(path, $"'{ancestor}' is not a folder");
            }

            var othersMayWrite = (status.Permissions & 0x12) != 0; // group or others have w
            if (IsForeign(status.OwnerId) || (othersMayWrite && (status.Permissions & UnixFileStatus.StickyBit) == 0))
            {
                var ownerText = status.OwnerId is { } id ? $"owner uid {id}, " : "";
                return $"{Name(path)} is inside '{ancestor}' ({ownerText}mode {status.OctalPermissions}), which other users can change; choose a folder inside folders only this user or root can change.";
            }
        }

        return null;
    }

    /// <summary>The folder cannot be made, for <paramref name="reason"/>.</summary>
    public static string CannotCreate(string path, string reason) => $"{Name(path)} cannot be created: {reason}.";

    /// <summary>Another live primary holds the cluster's lock.</summary>
    public static string AnotherPrimary(int port, int? processId, string path) =>
        $"Cluster:Port {port}: another primary (pid {(processId is { } pid ? pid.ToString(CultureInfo.InvariantCulture) : "unknown")}) already runs this cluster (runtime folder '{path}'); stop it first or choose another port.";

    private static bool IsForeign(uint? ownerId) => ownerId is { } owner && !UnixUser.IsSelfOrRoot(owner);

    private static string Name(string path) => $"{Setting} '{path}'";
}

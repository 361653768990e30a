namespace ClusterTemplate.Primary.Processes;

/// <summary>What a path is, as <c>lstat</c> (or <c>stat</c>) tells it.</summary>
internal enum UnixFileKind
{
    Directory,
    SymbolicLink,
    Socket,
    Other,
}

/// <summary>A file's kind, permission bits, owner and identity.</summary>
/// <param name="Kind">Folder, link, socket or anything else.</param>
/// <param name="Permissions">The mode's permission bits (<c>mode &amp; 07777</c>), sticky bit included.</param>
/// <param name="OwnerId">The owner's uid, or <see langword="null"/> where the platform does not tell (not Linux).</param>
/// <param name="Device">The device the file is on, with <paramref name="Inode"/> its identity.</param>
/// <param name="Inode">The file's inode number.</param>
internal readonly record struct UnixFileStatus(UnixFileKind Kind, int Permissions, uint? OwnerId, ulong Device, ulong Inode)
{
    public const int StickyBit = 0x200; // 01000

    /// <summary>The permission bits as <c>ls</c> and <c>chmod</c> write them, such as 0700.</summary>
    public string OctalPermissions => "0" + Convert.ToString(Permissions & 0x1FF, 8).PadLeft(3, '0');
}

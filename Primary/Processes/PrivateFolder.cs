using System.Runtime.Versioning;

namespace ClusterTemplate.Primary.Processes;

/// <summary>
/// Makes the runtime folder, or takes an existing one, only when it is a private folder of this user
/// (<see cref="RuntimeFolderRules"/>). The folder is made with <c>mkdir</c> 0700, which fails on anything already
/// at the path, so a folder or link someone else put there in the meantime is checked, never adopted.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class PrivateFolder
{
    /// <summary>
    /// Makes the folder (true) or verifies the one there (false); otherwise throws a
    /// <see cref="RuntimeDirectoryException"/> and leaves nothing it made behind but missing parent folders (0700).
    /// </summary>
    public static bool Ensure(string path)
    {
        Refuse(RuntimeFolderRules.CheckLength(path));
        var parent = Path.GetDirectoryName(path);
        if (parent is not null && UnixFiles.TryGetStatus(parent, followLinks: true, out _) == UnixFiles.NoSuchFile)
        {
            try
            {
                Directory.CreateDirectory(parent, (UnixFileMode)RuntimeFolderRules.PrivatePermissions);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new RuntimeDirectoryException(RuntimeFolderRules.CannotCreate(path, exception.Message.TrimEnd('.')));
            }
        }

        // The folders above are checked first: if another user could change one, what is checked below could be swapped after.
        Refuse(RuntimeFolderRules.CheckAncestors(path));

        var error = UnixFiles.MakeDirectory(path, RuntimeFolderRules.PrivatePermissions);
        if (error != 0 && error != UnixFiles.AlreadyExists)
        {
            throw new RuntimeDirectoryException(RuntimeFolderRules.CannotCreate(path, UnixFiles.Describe(error)));
        }

        var created = error == 0;
        if (created)
        {
            // The umask may have taken bits away; nobody else can have touched a folder this new in a checked parent.
            File.SetUnixFileMode(path, (UnixFileMode)RuntimeFolderRules.PrivatePermissions);
        }

        error = UnixFiles.TryGetStatus(path, followLinks: false, out var status);
        var problem = error != 0 ? RuntimeFolderRules.CannotCreate(path, UnixFiles.Describe(error)) : RuntimeFolderRules.CheckExisting(path, status);
        if (problem is not null)
        {
            if (created)
            {
                Directory.Delete(path);
            }

            throw new RuntimeDirectoryException(problem);
        }

        return created;
    }

    private static void Refuse(string? problem)
    {
        if (problem is not null)
        {
            throw new RuntimeDirectoryException(problem);
        }
    }
}

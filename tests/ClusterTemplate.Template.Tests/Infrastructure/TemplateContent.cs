namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// Which files of the repository a new app gets: everything but the paths below. Mirrors
/// <c>sources[0].exclude</c> of <c>.template.config/template.json</c> (and the pack project's excludes).
/// </summary>
internal static class TemplateContent
{
    /// <summary>Paths from the repository root that stay out of a new app.</summary>
    public static readonly IReadOnlyList<string> ExcludedPaths =
    [
        ".git", ".github", ".ci", "bench", "pack", "tests/ClusterTemplate.Template.Tests", "docs/template.md",
        "artifacts", ".vs", ".idea", ".template.config",
    ];

    /// <summary>Folder names that stay out wherever they are.</summary>
    public static readonly IReadOnlyList<string> ExcludedFolderNames = ["bin", "obj", "TestResults", "node_modules"];

    /// <summary>File name endings that stay out wherever they are.</summary>
    public static readonly IReadOnlyList<string> ExcludedFileEndings = [".user", ".nupkg", ".filelist", ".lock.json"];

    /// <summary>Files of the template under <paramref name="root"/> that a new app gets, as sorted '/'-separated relative paths.</summary>
    public static IReadOnlyList<string> Files(string root) => List(root, IsIncluded);

    /// <summary>
    /// Files of a generated app, as sorted '/'-separated relative paths, leaving out only the
    /// <c>bin</c>/<c>obj</c> folders that restore and build make (so excluded paths that leaked in show up).
    /// </summary>
    public static IReadOnlyList<string> GeneratedFiles(string root) =>
        List(root, (path, isDirectory) => !isDirectory || !IsBuildOutput(path[(path.LastIndexOf('/') + 1)..]));

    private static bool IsBuildOutput(string folderName) =>
        folderName.Equals("bin", StringComparison.OrdinalIgnoreCase) || folderName.Equals("obj", StringComparison.OrdinalIgnoreCase);

    private static IReadOnlyList<string> List(string root, Func<string, bool, bool> include)
    {
        var files = new List<string>();
        Walk(root, root, include, files);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Whether a '/'-separated path relative to the repository root goes into a new app.</summary>
    public static bool IsIncluded(string relativePath, bool isDirectory)
    {
        if (ExcludedPaths.Any(excluded => relativePath == excluded || relativePath.StartsWith(excluded + "/", StringComparison.Ordinal)))
        {
            return false;
        }

        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return isDirectory
            ? !ExcludedFolderNames.Contains(name, StringComparer.OrdinalIgnoreCase)
            : !ExcludedFileEndings.Any(ending => name.EndsWith(ending, StringComparison.OrdinalIgnoreCase));
    }

    private static void Walk(string root, string directory, Func<string, bool, bool> include, List<string> files)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            var relative = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
            var isDirectory = entry is DirectoryInfo;
            if (!include(relative, isDirectory))
            {
                continue;
            }

            if (isDirectory)
            {
                Walk(root, entry.FullName, include, files);
            }
            else
            {
                files.Add(relative);
            }
        }
    }
}

using System.Reflection;
using System.Runtime.Versioning;
using ClusterTemplate.Primary.Processes;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// The primary's and the worker's build output laid out as <c>dotnet publish Primary</c> lays them out (the worker in
/// <c>worker/</c> beside the primary), then made read-only for everyone: an install that nothing may change.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ReadOnlyInstall
{
    /// <summary>Lays out the install in <paramref name="folder"/> and returns the primary's <c>.dll</c> in it.</summary>
    public static string Create(string folder)
    {
        Copy(Path.GetDirectoryName(PrimaryProcess.BuildOutputPath)!, folder);
        var workerBuildOutput = typeof(WorkerProgramLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == WorkerProgramLocator.BuildOutputMetadataKey).Value!;
        Copy(Path.GetDirectoryName(workerBuildOutput)!, Path.Combine(folder, WorkerProgramLocator.PublishedWorkerFolder));
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Append(folder))
        {
            var mode = File.GetUnixFileMode(entry);
            File.SetUnixFileMode(entry, mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)
                | UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return Path.Combine(folder, Path.GetFileName(PrimaryProcess.BuildOutputPath));
    }

    /// <summary>Gives the owner write access again under <paramref name="root"/>, so the test can remove it.</summary>
    public static void MakeWritable(string root)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
        {
            if (!File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint))
            {
                File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.UserWrite);
            }
        }
    }

    private static void Copy(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        foreach (var folder in Directory.EnumerateDirectories(target, "*", SearchOption.AllDirectories).Append(target))
        {
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        }
    }
}

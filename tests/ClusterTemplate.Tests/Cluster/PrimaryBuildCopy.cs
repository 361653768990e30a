namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// A copy of the primary's build output in a temp folder of its own, so a test can put settings files beside
/// it (the primary reads them from its own folder) without touching the build output the other tests run.
/// </summary>
internal sealed class PrimaryBuildCopy : IDisposable
{
    private PrimaryBuildCopy(string directory) => Directory = directory;

    public string Directory { get; }

    public string PrimaryPath => Path.Combine(Directory, Path.GetFileName(PrimaryProcess.BuildOutputPath));

    public static PrimaryBuildCopy Create()
    {
        var source = Path.GetDirectoryName(PrimaryProcess.BuildOutputPath)!;
        var target = Path.Combine(Path.GetTempPath(), "ct-primary-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return new PrimaryBuildCopy(target);
    }

    public void WriteFile(string name, string text) => File.WriteAllText(Path.Combine(Directory, name), text);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

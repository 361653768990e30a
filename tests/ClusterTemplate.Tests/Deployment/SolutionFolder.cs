namespace ClusterTemplate.Tests.Deployment;

/// <summary>The solution's own files that ship beside the code: the Dockerfile, <c>deploy/</c>, the primary's settings.</summary>
internal static class SolutionFolder
{
    /// <summary>The folder holding the solution's Primary project, found upwards from the test binaries.</summary>
    public static string Root { get; } = Find();

    public static string Dockerfile => Path.Combine(Root, "Dockerfile");

    public static string KubernetesFolder => Path.Combine(Root, "deploy", "kubernetes");

    public static string PrimaryAppSettings => Path.Combine(Root, "Primary", "appsettings.json");

    public static string PrimaryProject => Directory.GetFiles(Path.Combine(Root, "Primary"), "*.csproj").Single();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dockerfile")) && Directory.Exists(Path.Combine(directory.FullName, "Primary")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Dockerfile beside a Primary folder above {AppContext.BaseDirectory}.");
    }
}

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// The two lines that <c>ServiceDefaults/README.md</c> says an app you already have takes: the package reference
/// and the one call.
/// </summary>
internal sealed record WorkerPackageReadme(string PackageReference, string Call)
{
    public static string Path => System.IO.Path.Combine(Repository.Root, "ServiceDefaults", "README.md");

    /// <summary>Reads the two lines, each of which the README must show exactly once.</summary>
    public static WorkerPackageReadme Read()
    {
        var lines = File.ReadAllLines(Path).Select(line => line.Trim()).ToList();
        return new WorkerPackageReadme(
            Assert.Single(lines, line => line.StartsWith($"<PackageReference Include=\"{Repository.ServiceDefaultsPackageId}\"", StringComparison.Ordinal)),
            Assert.Single(lines, line => line.StartsWith("builder.AddServiceDefaults(", StringComparison.Ordinal)));
    }
}

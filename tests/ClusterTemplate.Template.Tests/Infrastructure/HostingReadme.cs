namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// The three lines that <c>Hosting/README.md</c> says an AppHost you already have takes: the package, the
/// primary's project, and the <c>AddCluster</c> call.
/// </summary>
internal sealed record HostingReadme(string PackageReference, string PrimaryReference, string AddCluster)
{
    public static string Path => System.IO.Path.Combine(Repository.Root, "Hosting", "README.md");

    /// <summary>Reads the three lines, each of which the README must show exactly once.</summary>
    public static HostingReadme Read()
    {
        var lines = File.ReadAllLines(Path).Select(line => line.Trim()).ToList();
        return new HostingReadme(
            Assert.Single(lines, line => line.StartsWith($"<PackageReference Include=\"{Repository.HostingPackageId}\"", StringComparison.Ordinal)),
            Assert.Single(lines, line => line.StartsWith("<ProjectReference Include=", StringComparison.Ordinal) && line.Contains(".Primary.csproj\"", StringComparison.Ordinal)),
            Assert.Single(lines, line => line.StartsWith("builder.AddCluster<", StringComparison.Ordinal)));
    }

    public IEnumerable<string> All => [PackageReference, PrimaryReference, AddCluster];
}

using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ClusterTemplate.Template.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ClusterTemplate.Template.Tests;

/// <summary>
/// The hosting library as a package: packed next to the template package, then added to an AppHost that is not
/// from this repository with the three lines of its README.
/// </summary>
[Trait("Category", "Template")]
public sealed partial class HostingPackageTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Hosting_package_builds_into_an_AppHost_from_outside_the_repository_with_the_three_readme_lines()
    {
        using var work = new TempDirectory("hosting");
        var feed = work.Combine("feed");
        var versions = CentralPackageVersions.Read(Repository.Root);
        var readme = HostingReadme.Read();
        Assert.Equal(ProjectVersion(), ReadmeVersion(readme.PackageReference));
        Assert.All(readme.All, line => Assert.Contains(line, File.ReadAllText(Path.Combine(Repository.Root, "README.md")), StringComparison.Ordinal));

        // A version of its own, so that no ClusterTemplate.Hosting left in a package folder by an earlier build stands in for this one.
        var version = string.Create(CultureInfo.InvariantCulture, $"{ProjectVersion()}-test.{DateTime.UtcNow:yyyyMMddHHmmss}");
        (await GeneratedSolutionCommands.PackTemplateAsync(feed, version)).EnsureSuccess();
        var package = Path.Combine(feed, $"{Repository.HostingPackageId}.{version}.nupkg");
        Assert.True(File.Exists(Path.Combine(feed, $"{Repository.PackageId}.{version}.nupkg")), "pack/ made no template package.");
        Assert.True(File.Exists(package), $"pack/ made no {Repository.HostingPackageId} package next to the template package.");
        AssertPackageContent(package, versions);

        var appHost = new ExistingAppHost(work.Combine("existing"));
        appHost.Write(
            feed,
            AppHostSdk(),
            versions["Aspire.Hosting.AppHost"],
            [VersionAttribute().Replace(readme.PackageReference, $"Version=\"{version}\""), IncludeAttribute().Replace(readme.PrimaryReference, $"Include=\"{Repository.PrimaryProject}\"")],
            readme.AddCluster);
        var build = (await appHost.BuildAsync()).EnsureSuccess();
        log.WriteLine(build.Output);

        Assert.True(File.Exists(Path.Combine(appHost.OutputFolder, Repository.HostingPackageId + ".dll")), "The AppHost's output lacks the hosting library.");
    }

    /// <summary>The library, its XML docs and README, and exactly the packages it needs at the repository's versions: nothing of the primary.</summary>
    private static void AssertPackageContent(string package, IReadOnlyDictionary<string, string> versions)
    {
        using var archive = ZipFile.OpenRead(package);
        var entries = archive.Entries.Select(entry => entry.FullName).ToList();
        Assert.Contains($"lib/net10.0/{Repository.HostingPackageId}.dll", entries);
        Assert.Contains($"lib/net10.0/{Repository.HostingPackageId}.xml", entries);
        Assert.Contains("README.md", entries);

        using var nuspecStream = archive.GetEntry(Repository.HostingPackageId + ".nuspec")!.Open();
        var nuspec = XDocument.Load(nuspecStream);
        Assert.Equal("README.md", nuspec.Descendants().Single(element => element.Name.LocalName == "readme").Value);
        var dependencies = nuspec.Descendants().Where(element => element.Name.LocalName == "dependency")
            .Select(dependency => ((string)dependency.Attribute("id")!, (string)dependency.Attribute("version")!))
            .Order()
            .ToList();
        Assert.Equal(
            [("Aspire.Hosting", versions["Aspire.Hosting"]), ("Nerdbank.MessagePack", versions["Nerdbank.MessagePack"]), ("Polly.Core", versions["Polly.Core"])],
            dependencies);
    }

    private static string ProjectVersion() =>
        XDocument.Load(Repository.HostingProject).Descendants("Version").Single().Value;

    private static string ReadmeVersion(string packageReference) =>
        VersionAttribute().Match(packageReference).Groups["version"].Value;

    /// <summary>The Aspire AppHost SDK of the repository's AppHost, as <c>Aspire.AppHost.Sdk/&lt;version&gt;</c>.</summary>
    private static string AppHostSdk() =>
        (string)XDocument.Load(Path.Combine(Repository.Root, "AppHost", Repository.SourceName + ".AppHost.csproj")).Root!.Attribute("Sdk")!;

    [GeneratedRegex("Version=\"(?<version>[^\"]+)\"")]
    private static partial Regex VersionAttribute();

    [GeneratedRegex("Include=\"[^\"]+\"")]
    private static partial Regex IncludeAttribute();
}

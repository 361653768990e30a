using System.Xml.Linq;
using ClusterTemplate.Template.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ClusterTemplate.Template.Tests;

/// <summary>
/// The worker library's project copied into a solution of someone else's: it brings what it builds with (framework,
/// nullable, a using in every file) and needs nothing of the repository's <c>Directory.Build.props</c>.
/// </summary>
[Trait("Category", "Template")]
public sealed class WorkerLibraryStandsAloneTests(ITestOutputHelper log)
{
    [Fact]
    public async Task ServiceDefaults_project_copied_out_of_the_repository_builds_with_warnings_as_errors_and_only_its_package_versions()
    {
        using var work = new TempDirectory("sd");
        var source = Path.GetDirectoryName(Repository.ServiceDefaultsProject)!;
        var copy = work.Combine("ServiceDefaults");
        CopySources(source, copy);

        // A solution of the user's: central package versions holding only what the library references, no build settings.
        var versions = CentralPackageVersions.Read(Repository.Root);
        var references = XDocument.Load(Repository.ServiceDefaultsProject).Descendants("PackageReference")
            .Select(reference => (string)reference.Attribute("Include")!)
            .ToList();
        IsolatedFolder.Prepare(work.Path, Directory.CreateDirectory(work.Combine("no-feed")).FullName);
        File.WriteAllText(work.Combine("Directory.Packages.props"), $"""
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                {string.Join(Environment.NewLine + "    ", references.Select(id => $"<PackageVersion Include=\"{id}\" Version=\"{versions[id]}\" />"))}
              </ItemGroup>
            </Project>

            """);

        var build = (await DotnetCli.RunAsync(
            ["build", Path.Combine(copy, Path.GetFileName(Repository.ServiceDefaultsProject)), "-p:TreatWarningsAsErrors=true", "-m:1", "-nodeReuse:false", "--disable-build-servers", "-nologo", "-clp:ErrorsOnly;Summary"],
            work.Path,
            Budgets.Build)).EnsureSuccess();
        log.WriteLine(build.Output);
    }

    /// <summary>The project's files as in git: everything but build output.</summary>
    private static void CopySources(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is "bin" or "obj")
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

using System.Globalization;
using System.IO.Compression;
using ClusterTemplate.Template.Tests.Infrastructure;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Template.Tests;

/// <summary><c>dotnet pack</c> of the template package, <c>dotnet new install &lt;nupkg&gt;</c>, then a new app built, tested and run.</summary>
[Trait("Category", "Template")]
public sealed class InstallFromPackageTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Packed_template_installs_and_gives_a_solution_that_builds_tests_and_serves()
    {
        using var hive = new TemplateHive();
        using var work = new TempDirectory("nupkg");
        var port = FreePort.Next();
        var solution = new GeneratedSolution(work.Combine("app"), new NameForms("Tailwind.Orders"));

        (await GeneratedSolutionCommands.PackTemplateAsync(work.Combine("packages"))).EnsureSuccess();
        var package = Assert.Single(Directory.GetFiles(work.Combine("packages"), Repository.PackageId + ".*.nupkg"));
        AssertPackageContent(package);

        (await hive.InstallAsync(package)).EnsureSuccess();
        (await hive.NewAsync(
            "-n", solution.Name.Identity, "--workers", "2", "--port", port.ToString(CultureInfo.InvariantCulture), "--mode", "reuseport",
            "--skip-restore", "-o", solution.Directory)).EnsureSuccess();

        solution.AssertMirrors(Repository.Root);
        Assert.Equal(new ClusterSettings(2, port, "reuseport"), ClusterSettings.Read(solution.PrimaryAppSettings));
        Assert.False(Directory.Exists(Path.Combine(solution.Directory, "Primary", "obj")), "--skip-restore still restored.");

        (await GeneratedSolutionCommands.BuildAsync(solution, restore: true)).EnsureSuccess();
        var tests = (await GeneratedSolutionCommands.TestUnitAsync(solution)).EnsureSuccess();
        log.WriteLine($"Generated test projects: {solution.TestProjects.Count}; `{GeneratedSolutionCommands.UnitTestFilter}` run:{Environment.NewLine}{tests.Output}");

        await using (var cluster = ClusterRun.Start(solution, work.Combine("run")))
        {
            var status = await cluster.WaitForHealthyWorkersAsync(2, Budgets.ClusterReady);
            Assert.Equal("reuseport", status.Mode);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var greeting = await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"));
            Assert.StartsWith("Hello from worker", greeting);
            await cluster.StopAsync(Budgets.ClusterStop);
        }

        (await hive.UninstallAsync(Repository.PackageId)).EnsureSuccess();
        Assert.Equal(TemplateHive.TemplateNotFoundExitCode, (await hive.ListAsync()).ExitCode);
    }

    private static void AssertPackageContent(string package)
    {
        using var archive = ZipFile.OpenRead(package);
        var content = archive.Entries.Select(entry => entry.FullName).Where(name => name.StartsWith("content/", StringComparison.Ordinal)).Select(name => name["content/".Length..]).ToList();

        Assert.Contains(".template.config/template.json", content);
        Assert.Contains(".template.config/dotnetcli.host.json", content);
        Assert.Contains(Repository.SourceName + ".sln", content);
        Assert.Contains("Primary/" + Repository.SourceName + ".Primary.csproj", content);
        var leaked = content.Where(path => !path.StartsWith(".template.config/", StringComparison.Ordinal) && !TemplateContent.IsIncluded(path, isDirectory: false)
            || path.Split('/').SkipLast(1).Any(folder => TemplateContent.ExcludedFolderNames.Contains(folder, StringComparer.OrdinalIgnoreCase))).ToList();
        Assert.True(leaked.Count == 0, $"The package carries paths a new app leaves out: {string.Join(", ", leaked)}");
    }
}

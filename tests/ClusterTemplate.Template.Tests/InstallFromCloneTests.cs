using System.Globalization;
using ClusterTemplate.Template.Tests.Infrastructure;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Template.Tests;

/// <summary><c>dotnet new install &lt;clone&gt;</c>, then a new app with a dotted and dashed name, built, tested and run.</summary>
[Trait("Category", "Template")]
public sealed class InstallFromCloneTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Dotted_dashed_name_and_chosen_options_give_a_solution_that_builds_tests_and_runs()
    {
        using var hive = new TemplateHive();
        using var work = new TempDirectory("clone");
        var port = FreePort.Next();
        var solution = new GeneratedSolution(work.Combine("app"), new NameForms("Tailwind.Orders-Api"));

        (await hive.InstallAsync(Repository.Root)).EnsureSuccess();
        (await hive.NewAsync(
            "-n", solution.Name.Identity, "--workers", "3", "--port", port.ToString(CultureInfo.InvariantCulture), "--mode", "proxy",
            "-o", solution.Directory)).EnsureSuccess();

        solution.AssertMirrors(Repository.Root);
        Assert.All(solution.ClusterSettingsFiles(), entry => Assert.Equal(port, entry.Settings.Port));
        Assert.Equal(new ClusterSettings(3, port, "proxy"), ClusterSettings.Read(solution.PrimaryAppSettings));
        Assert.True(File.Exists(Path.Combine(solution.Directory, "Primary", "obj", "project.assets.json")), "The restore post-action did not restore.");

        // The restore post-action already restored: a build without restore proves it.
        (await GeneratedSolutionCommands.BuildAsync(solution, restore: false)).EnsureSuccess();
        var tests = (await GeneratedSolutionCommands.TestUnitAsync(solution)).EnsureSuccess();
        log.WriteLine($"Generated test projects: {solution.TestProjects.Count}; `{GeneratedSolutionCommands.UnitTestFilter}` run:{Environment.NewLine}{tests.Output}");

        await using (var cluster = ClusterRun.Start(solution, work.Combine("run")))
        {
            var status = await cluster.WaitForHealthyWorkersAsync(3, Budgets.ClusterReady);
            Assert.Equal(port, status.Port);
            Assert.Equal("proxy", status.Mode);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.StartsWith("Hello from worker", await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/")));
            await cluster.StopAsync(Budgets.ClusterStop);
        }

        (await hive.UninstallAsync(Repository.Root)).EnsureSuccess();
        Assert.Equal(TemplateHive.TemplateNotFoundExitCode, (await hive.ListAsync()).ExitCode);
    }
}

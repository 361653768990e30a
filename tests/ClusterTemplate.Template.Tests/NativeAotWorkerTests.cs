using System.Globalization;
using ClusterTemplate.Template.Tests.Infrastructure;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Template.Tests;

/// <summary>A new app made with <c>--aot</c>: <c>dotnet publish Primary</c> lays a native worker in worker/, and the published primary serves through it.</summary>
[Trait("Category", "Template")]
public sealed class NativeAotWorkerTests(InstalledTemplateFixture template, ITestOutputHelper log) : IClassFixture<InstalledTemplateFixture>
{
    [Fact]
    public async Task Published_app_runs_its_workers_as_native_executables()
    {
        using var work = new TempDirectory("aot-publish");
        var port = FreePort.Next();
        var solution = new GeneratedSolution(work.Combine("app"), new NameForms("Native.Orders"));
        (await template.Hive.NewAsync(
            "-n", solution.Name.Identity, "--aot", "--workers", "2", "--mode", "reuseport", "--port", port.ToString(CultureInfo.InvariantCulture),
            "-o", solution.Directory)).EnsureSuccess();
        solution.AssertMirrors(Repository.Root);

        var publish = work.Combine("publish");
        var published = (await DotnetCli.RunAsync(
            ["publish", Path.Combine("Primary", solution.Name.Identity + ".Primary.csproj"), "-c", "Release", "-o", publish, "-nodeReuse:false", "--disable-build-servers", "-nologo"],
            solution.Directory,
            Budgets.PublishAot)).EnsureSuccess();
        log.WriteLine(published.Output);

        var worker = Path.Combine(publish, "worker", solution.Name.Identity + ".Worker");
        Assert.True(File.Exists(worker), $"no native worker at {worker}");
        Assert.False(File.Exists(worker + ".dll"), "the worker was published as a .dll, not as Native AOT");

        await using var cluster = ClusterRun.Start(Path.Combine(publish, solution.Name.Identity + ".Primary.dll"), publish, work.Combine("run"), []);
        var status = await cluster.WaitForReadyWorkersAsync(2, Budgets.ClusterReady);
        Assert.All(status.Workers, running => Assert.Equal(worker, new FileInfo($"/proc/{running.ProcessId}/exe").LinkTarget));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.StartsWith("Hello from worker", await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/")));
        await cluster.StopAsync(Budgets.ClusterStop);
    }
}

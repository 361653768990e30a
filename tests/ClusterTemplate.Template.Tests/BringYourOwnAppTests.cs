using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ClusterTemplate.Template.Tests.Infrastructure;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Template.Tests;

/// <summary>
/// docs/bring-your-own-app.md, run: the worker library as a package, packed by <c>pack/</c> next to the template
/// package, added to an app made with <c>dotnet new webapi</c> outside the repository, and that app run as two
/// workers under the repository's primary with <c>--worker-path</c>.
/// </summary>
[Trait("Category", "Template")]
public sealed partial class BringYourOwnAppTests(WorkerPackageFeed feed, ITestOutputHelper log) : IClassFixture<WorkerPackageFeed>
{
    private const int Workers = 2;
    private const int LoadConcurrency = 8;
    private const string AppName = "WeatherApi";
    private const string Endpoint = "/weatherforecast";

    /// <summary>How long the load runs before and after the rolling restart, so that both old and new workers serve it.</summary>

    private static string Guide => Path.Combine(Repository.Root, "docs", "bring-your-own-app.md");

    [Fact]
    public void Worker_package_is_packed_next_to_the_template_with_its_docs_readme_and_the_repository_package_versions()
    {
        feed.Pack.EnsureSuccess();
        Assert.True(File.Exists(Path.Combine(feed.Folder, $"{Repository.PackageId}.{feed.Version}.nupkg")), "pack/ made no template package.");
        Assert.True(File.Exists(feed.ServiceDefaultsPackage), $"pack/ made no {Repository.ServiceDefaultsPackageId} package next to the template package.");

        using var archive = ZipFile.OpenRead(feed.ServiceDefaultsPackage);
        var entries = archive.Entries.Select(entry => entry.FullName).ToList();
        Assert.Contains($"lib/net10.0/{Repository.ServiceDefaultsPackageId}.dll", entries);
        Assert.Contains($"lib/net10.0/{Repository.ServiceDefaultsPackageId}.xml", entries);
        Assert.Contains("README.md", entries);

        using var nuspecStream = archive.GetEntry(Repository.ServiceDefaultsPackageId + ".nuspec")!.Open();
        var nuspec = XDocument.Load(nuspecStream);
        Assert.Equal("README.md", nuspec.Descendants().Single(element => element.Name.LocalName == "readme").Value);
        Assert.Equal(
            ["Microsoft.AspNetCore.App"],
            nuspec.Descendants().Where(element => element.Name.LocalName == "frameworkReference").Select(reference => (string)reference.Attribute("name")!));

        var versions = CentralPackageVersions.Read(Repository.Root);
        var dependencies = nuspec.Descendants().Where(element => element.Name.LocalName == "dependency")
            .Select(dependency => ((string)dependency.Attribute("id")!, (string)dependency.Attribute("version")!))
            .Order()
            .ToList();
        string[] expected =
        [
            "Microsoft.Extensions.Http.Resilience", "Microsoft.Extensions.ServiceDiscovery", "OpenTelemetry.Exporter.OpenTelemetryProtocol",
            "OpenTelemetry.Extensions.Hosting", "OpenTelemetry.Instrumentation.AspNetCore", "OpenTelemetry.Instrumentation.Http",
            "OpenTelemetry.Instrumentation.Runtime",
        ];
        Assert.Equal(expected.Select(id => (id, versions[id])), dependencies);
    }

    [Fact]
    public async Task A_dotnet_new_webapi_app_with_the_worker_package_serves_from_two_workers_under_the_primary_and_a_rolling_restart_loses_no_request()
    {
        var elapsed = Stopwatch.StartNew();
        feed.Pack.EnsureSuccess();
        var readme = WorkerPackageReadme.Read();
        Assert.True(File.Exists(Repository.PrimaryAssembly), $"The primary is not built at {Repository.PrimaryAssembly}.");

        using var work = new TempDirectory("byoa");
        using var hive = new TemplateHive();
        var app = new WebApiApp(work.Combine("src"), AppName);
        IsolatedFolder.Prepare(work.Combine("src"), feed.Folder);
        (await app.CreateAsync(hive)).EnsureSuccess();
        (await app.AddPackageAsync(Repository.ServiceDefaultsPackageId, feed.Version)).EnsureSuccess();
        // webapi's Program.cs has implicit usings, Microsoft.Extensions.Hosting among them: the one line is all it takes.
        app.AddAfterBuilder(readme.Call);
        (await app.BuildAsync()).EnsureSuccess();
        log.WriteLine($"{elapsed.Elapsed:mm\\:ss} app created, package added, built: {app.Assembly}");

        var port = FreePort.Next();
        var runtimeDirectory = work.Combine("run");
        string[] clusterSwitches = ["--port", port.ToString(CultureInfo.InvariantCulture), "--runtime-directory", runtimeDirectory];
        // In the app's folder, as the guide says: the workers' working directory, and what a relative --worker-path starts from.
        await using var cluster = ClusterRun.Start(
            Repository.PrimaryAssembly,
            app.ProjectFolder,
            runtimeDirectory,
            ["--worker-path", Path.GetRelativePath(app.ProjectFolder, app.Assembly), "--workers", Workers.ToString(CultureInfo.InvariantCulture), .. clusterSwitches]);

        var before = await cluster.WaitForReadyWorkersAsync(Workers, Budgets.ClusterReady);
        var status = (await PrimaryCommandAsync(["status", .. clusterSwitches])).EnsureSuccess();
        log.WriteLine($"{elapsed.Elapsed:mm\\:ss} {Workers} workers ready:{Environment.NewLine}{status.Output}");

        var target = new Uri($"http://127.0.0.1:{port}{Endpoint}");
        var oldWorkers = before.Workers.Select(worker => worker.ProcessId).ToHashSet();
        await EveryWorkerAnswersAsync(target, oldWorkers);

        RequestLoadResult load;
        await using (var requests = RequestLoad.Start(target, LoadConcurrency))
        {
            // The load reaches the old workers before the reload and the new ones after it.
            await requests.WaitForAnswerAsync(oldWorkers.Contains, Budgets.ClusterReady);
            var reload = (await PrimaryCommandAsync(["reload", .. clusterSwitches])).EnsureSuccess();
            log.WriteLine($"{elapsed.Elapsed:mm\\:ss} reload: {reload.Output.Trim()}");
            await requests.WaitForAnswerAsync(pid => !oldWorkers.Contains(pid), Budgets.ClusterReady);
            load = await requests.StopAsync();
        }

        var after = await cluster.WaitForReadyWorkersAsync(Workers, Budgets.ClusterReady);
        var newWorkers = after.Workers.Select(worker => worker.ProcessId).ToHashSet();
        log.WriteLine($"{elapsed.Elapsed:mm\\:ss} {load.Succeeded} requests served during the rolling restart, {load.Failures.Count} failed; " +
            $"answered by {string.Join(", ", load.AnsweredBy.Select(entry => $"pid {entry.Key}: {entry.Value}"))}");

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} of {load.Succeeded + load.Failures.Count} requests failed during the rolling restart: {string.Join("; ", load.Failures.Distinct().Take(5))}{Environment.NewLine}{cluster.Log}");
        Assert.True(load.Succeeded > 0, "The load sent no request.");
        Assert.Empty(oldWorkers.Intersect(newWorkers));
        Assert.Contains(load.AnsweredBy.Keys, oldWorkers.Contains);
        Assert.Contains(load.AnsweredBy.Keys, newWorkers.Contains);

        await cluster.StopAsync(Budgets.ClusterStop);
        log.WriteLine($"{elapsed.Elapsed:mm\\:ss} stopped: the primary exited 0 and no worker is left");

        // What the test did is what the package's README and the guide tell a user to do.
        Assert.Equal(ProjectVersion(), VersionAttribute().Match(readme.PackageReference).Groups["version"].Value);
        var guide = File.ReadAllText(Guide);
        Assert.Contains(readme.Call, guide, StringComparison.Ordinal);
        Assert.Contains(readme.PackageReference, guide, StringComparison.Ordinal);
    }

    /// <summary>GETs on a new connection each until every one of <paramref name="workers"/> has answered one with 200.</summary>
    private async Task EveryWorkerAnswersAsync(Uri target, IReadOnlySet<int> workers)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var deadline = new CancellationTokenSource(Budgets.EveryWorkerServes);
        var answered = new HashSet<int>();
        while (!answered.SetEquals(workers))
        {
            Assert.False(deadline.IsCancellationRequested, $"Within {Budgets.EveryWorkerServes} only pids [{string.Join(", ", answered)}] of [{string.Join(", ", workers)}] answered.");
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            request.Headers.ConnectionClose = true;
            using var response = await client.SendAsync(request, deadline.Token);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("temperatureC", await response.Content.ReadAsStringAsync(deadline.Token), StringComparison.Ordinal);
            answered.Add(int.Parse(response.Headers.GetValues(RequestLoad.WorkerProcessIdHeader).Single(), CultureInfo.InvariantCulture));
        }

        log.WriteLine($"Every worker answered {Endpoint}: pids {string.Join(", ", answered)}");
    }

    /// <summary><c>dotnet ClusterTemplate.Primary.dll &lt;command&gt;</c>: the primary's control client.</summary>
    private static Task<CommandResult> PrimaryCommandAsync(IReadOnlyList<string> arguments) =>
        DotnetCli.RunAsync([Repository.PrimaryAssembly, .. arguments], Path.GetTempPath(), Budgets.RollingRestart);

    private static string ProjectVersion() =>
        Assert.Single(XDocument.Load(Repository.ServiceDefaultsProject).Descendants("Version")).Value;

    [GeneratedRegex("Version=\"(?<version>[^\"]+)\"")]
    private static partial Regex VersionAttribute();
}

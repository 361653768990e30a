using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.RegularExpressions;
using ClusterTemplate.Shared.Control;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// The cluster's init run (<c>Cluster:Init:When</c>): an EF Core SQLite app (tests/Apps/SqliteApp) makes its schema once,
/// in the worker program started alone in the init role, before the workers start (or before a rollout).
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ClusterInitTests(ITestOutputHelper output) : IDisposable
{
    private const string FailingMigrationLine = "Applying migration 20261202_AddEmail: column Email already exists";
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("ct-init-").FullName;

    private string FailFile => Path.Combine(_folder, "fail-init");

    [Fact]
    public async Task With_init_at_start_a_fresh_database_is_set_up_once_and_both_workers_serve_without_a_restart()
    {
        await using var primary = StartPrimary("start");

        var workers = await primary.WaitForRunningAsync(2);

        var writers = new HashSet<int>();
        for (var i = 0; i < 200 && writers.Count < 2; i++)
        {
            var written = await PublicClient.SendAsync(primary.BaseAddress, HttpMethod.Post, "/people/person-" + i.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(HttpStatusCode.OK, written.Status);
            writers.Add(written.ProcessId);
        }

        Assert.Equal(workers.Select(w => w.ProcessId).Order(), writers.Order());
        var people = await GetAsync<List<string>>(primary, "/people");
        Assert.Contains("person-0", people);
        var initRuns = await GetAsync<List<int>>(primary, "/init-runs");
        var initPid = Assert.Single(initRuns);
        Assert.DoesNotContain(initPid, writers);
        Assert.Single(primary.Output, line => line.Contains("Cluster init started (pid", StringComparison.Ordinal));
        Assert.Contains(primary.Output, line => line.StartsWith($"[init pid {initPid}] ", StringComparison.Ordinal));
        Assert.All((await primary.GetStatusAsync()).Workers, worker => Assert.Equal(0, worker.Restarts));
    }

    [Fact]
    public async Task Without_the_init_run_every_worker_runs_the_apps_init_itself_and_is_warned()
    {
        await using var primary = StartPrimary(when: "never");

        var workers = await primary.WaitForRunningAsync(2);

        // Each worker ran EnsureCreated on the fresh database at the same moment: the race the init run removes. Whether one
        // lost it (and was restarted) is up to timing, so it is reported, not asserted.
        var initRuns = await GetAsync<List<int>>(primary, "/init-runs");
        Assert.True(initRuns.Distinct().Count() >= 2, $"init runs by pids {string.Join(", ", initRuns)}");
        Assert.True(primary.Output.Count(line => line.Contains("runs the app's init itself, as every worker does", StringComparison.Ordinal)) >= 2);
        Assert.DoesNotContain(primary.Output, line => line.Contains("Cluster init started", StringComparison.Ordinal));
        output.WriteLine($"Worker restarts without the init run: {workers.Sum(worker => worker.Restarts)}");
    }

    [Fact]
    public async Task An_init_that_fails_at_start_stops_the_primary_with_its_last_lines_and_starts_no_worker()
    {
        File.WriteAllText(FailFile, "");
        var runtimeDirectory = Path.Combine(_folder, "run");

        var (exitCode, stdout, stderr) = await PrimaryProcess.RunToExitAsync(
        [
            .. AppArguments("start"),
            "--workers", "2",
            "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            "--runtime-directory", runtimeDirectory,
        ]);
        output.WriteLine(stdout);
        output.WriteLine(stderr);

        Assert.Equal(1, exitCode);
        var error = stderr.Split('\n')[0];
        Assert.Matches(@"^error: the cluster init \(pid \d+\) failed: signal 6 \(SIGABRT\) after [\d.]+ s; no worker was started\. Its last lines:$", error);
        Assert.Contains("  | " + FailingMigrationLine, stderr);
        Assert.Contains("Migration 20261202_AddEmail could not be applied.", stderr);
        Assert.DoesNotContain("[worker ", stdout);
        Assert.DoesNotContain("Worker 1 started", stdout);
        Assert.False(PrimaryProcess.IsAlive(int.Parse(InitPid().Match(error).Groups[1].Value, CultureInfo.InvariantCulture)));
        Assert.False(Directory.Exists(runtimeDirectory));
    }

    [Fact]
    public async Task An_app_that_does_not_mark_its_init_work_fails_the_init_at_once_instead_of_serving()
    {
        var existingApp = typeof(ClusterInitTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "ExistingAppPath").Value!;

        var (exitCode, stdout, stderr) = await PrimaryProcess.RunToExitAsync(
            "--worker-path", existingApp, "--init", "start",
            "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            "--runtime-directory", Path.Combine(_folder, "run"));
        output.WriteLine(stdout);
        output.WriteLine(stderr);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: the cluster init (pid ", stderr);
        Assert.Contains("but the app started its host: call 'if (await app.RunClusterInitAsync(...)) return;' before app.Run()", stderr);
        Assert.DoesNotContain("Now listening on", stdout);
    }

    [Fact]
    public async Task An_init_that_fails_before_a_rollout_fails_the_rollout_and_the_old_workers_keep_serving()
    {
        await using var primary = StartPrimary("every-rollout");
        var before = await primary.WaitForRunningAsync(2);
        File.WriteAllText(FailFile, "");

        var (status, result) = await primary.PostWithStatusAsync(ControlRoutes.Reload);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Matches(@"^rolling restart not started: the cluster init \(pid \d+\) failed: signal 6 \(SIGABRT\)", result!.Message);
        Assert.Contains(FailingMigrationLine, result.Message);
        var after = (await primary.GetStatusAsync()).Workers;
        Assert.Equal(before.Select(w => (w.WorkerId, w.ProcessId)), after.Select(w => (w.WorkerId, w.ProcessId)));
        var pids = new HashSet<int>();
        for (var i = 0; i < 200 && pids.Count < 2; i++)
        {
            var answer = await PublicClient.GetAsync(primary.BaseAddress, "/people");
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            pids.Add(answer.ProcessId);
        }

        Assert.Equal(before.Select(w => w.ProcessId).Order(), pids.Order());

        // Once the cause is gone, the next rollout runs the init again, then replaces the workers.
        File.Delete(FailFile);
        var retried = await primary.PostAsync(ControlRoutes.Reload);
        Assert.True(retried.Succeeded, retried.Message);
        Assert.Equal(2, (await GetAsync<List<int>>(primary, "/init-runs")).Count);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private PrimaryProcess StartPrimary(string when) => PrimaryProcess.Start(output, workers: 2, "reuseport", AppArguments(when));

    private string[] AppArguments(string when) =>
    [
        "--worker-path", AppPath,
        "--working-directory", _folder,
        "--init", when,
        "--Cluster:Environment:FailInitWhenFileExists=" + FailFile,
    ];

    private static async Task<T> GetAsync<T>(PrimaryProcess primary, string path)
    {
        using var client = new HttpClient { BaseAddress = primary.BaseAddress, Timeout = s_budget };
        return (await client.GetFromJsonAsync<T>(path))!;
    }

    [GeneratedRegex(@"\(pid (\d+)\)")]
    private static partial Regex InitPid();

    private static string AppPath => typeof(ClusterInitTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "SqliteAppPath").Value!;
}

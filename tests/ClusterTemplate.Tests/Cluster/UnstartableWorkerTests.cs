using System.Globalization;
using System.Net;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Shared.Control;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>A worker program that cannot be started any more: an unplanned exit like any other, reported by every operation.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnstartableWorkerTests(ITestOutputHelper output)
{
    private const int SigKill = 9;
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_worker_program_that_can_no_longer_be_started_is_reported_and_the_primary_still_stops_cleanly()
    {
        using var script = WorkerScript.Create();
        await using var primary = PrimaryProcess.Start(output, workers: 2, "reuseport", "--worker-path", script.Path);
        var before = await primary.WaitForRunningAsync(2);
        var survivor = before.Single(w => w.WorkerId == 2);
        script.MakeUnexecutable();

        Assert.True(UnixSignals.Send(before.Single(w => w.WorkerId == 1).ProcessId, SigKill));

        var after = await primary.WaitForWorkersAsync(
            workers => workers.Single(w => w.WorkerId == 1) is { State: WorkerState.Restarting or WorkerState.Failed, LastExitReason: { } reason }
                && reason.Contains("Permission denied", StringComparison.Ordinal),
            s_budget);
        Assert.Equal(0, after.Single(w => w.WorkerId == 1).ProcessId);
        Assert.Contains(primary.Output, line => line.Contains("Worker 1 could not be started", StringComparison.Ordinal) && line.Contains("Permission denied", StringComparison.Ordinal));

        var (reloadStatus, reload) = await primary.PostWithStatusAsync(ControlRoutes.Reload);
        Assert.Equal(HttpStatusCode.Conflict, reloadStatus);
        Assert.StartsWith("rolling restart stopped at worker 1: replacement could not be started: ", reload!.Message);
        Assert.Contains("Permission denied", reload.Message);

        var (restartStatus, restart) = await primary.PostWithStatusAsync(ControlRoutes.RestartWorkerWithId(2));
        Assert.Equal(HttpStatusCode.Conflict, restartStatus);
        Assert.StartsWith("replacement could not be started: ", restart!.Message);

        var (scaleStatus, scale) = await primary.PostWithStatusAsync(ControlRoutes.ScaleTo(3));
        Assert.Equal(HttpStatusCode.Conflict, scaleStatus);
        Assert.StartsWith("scaled from 2 to 3 workers, but worker 3 could not be started: ", scale!.Message);

        var client = await PrimaryProcess.RunToExitAsync("reload", "--port", primary.Port.ToString(CultureInfo.InvariantCulture), "--runtime-directory", primary.RuntimeDirectory);
        Assert.Equal(1, client.ExitCode);
        Assert.StartsWith("error: reload failed: rolling restart stopped at worker 1: replacement could not be started: ", client.StandardError);

        // The worker that could still start keeps serving through all of it.
        Assert.Equal([survivor.ProcessId], await PublicClient.CollectPidsAsync(primary.BaseAddress, expected: 1));
        Assert.Equal(survivor.ProcessId, (await primary.GetStatusAsync()).Workers.Single(w => w.WorkerId == 2).ProcessId);

        primary.Signal(UnixSignals.SigTerm);
        await primary.Process.WaitForExitAsync().WaitAsync(s_budget);
        Assert.Equal(0, primary.Process.ExitCode);
    }
}

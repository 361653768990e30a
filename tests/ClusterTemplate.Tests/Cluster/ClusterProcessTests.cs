using System.Net;
using ClusterTemplate.Shared.Control;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>The cluster runtime end to end: a real primary, real workers, real signals, in every listener mode.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class ClusterProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_replacementBudget = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_orphanDeadline = TimeSpan.FromSeconds(5);

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task Fresh_connections_reach_every_worker(string mode)
    {
        await using var primary = PrimaryProcess.Start(output, workers: 3, mode);
        var workers = await primary.WaitForRunningAsync(3);

        var pids = await PublicClient.CollectPidsAsync(primary.BaseAddress, expected: 3);

        Assert.Equal(workers.Select(w => w.ProcessId).Order(), pids.Order());
    }

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task A_killed_worker_is_replaced_and_the_cluster_serves_from_every_worker_again(string mode)
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, mode);
        var before = await primary.WaitForRunningAsync(2);
        var victim = before.Single(w => w.WorkerId == 1);

        Assert.True(Primary.Processes.UnixSignals.Send(victim.ProcessId, 9));

        var after = await primary.WaitForWorkersAsync(
            workers => workers.Single(w => w.WorkerId == 1) is { State: WorkerState.Running, Ready: true } replacement && replacement.ProcessId != victim.ProcessId,
            s_replacementBudget);
        var replacement = after.Single(w => w.WorkerId == 1);
        Assert.Equal(1, replacement.Restarts);
        Assert.Equal(2, replacement.Generation);
        Assert.Contains("signal 9 (SIGKILL)", replacement.LastExitReason);
        Assert.Equal(before.Single(w => w.WorkerId == 2).ProcessId, after.Single(w => w.WorkerId == 2).ProcessId);

        var pids = await PublicClient.CollectPidsAsync(primary.BaseAddress, expected: 2);
        Assert.Equal(after.Select(w => w.ProcessId).Order(), pids.Order());
    }

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task A_hung_worker_is_replaced_by_the_health_probe(string mode)
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, mode);
        await primary.WaitForRunningAsync(2);

        var hang = await PublicClient.SendAsync(primary.BaseAddress, HttpMethod.Post, "/fault/hang");
        Assert.Equal(HttpStatusCode.Accepted, hang.Status);

        var after = await primary.WaitForWorkersAsync(
            workers => workers.Single(w => w.WorkerId == hang.WorkerId) is { State: WorkerState.Running } replacement && replacement.ProcessId != hang.ProcessId,
            s_replacementBudget);
        var replacement = after.Single(w => w.WorkerId == hang.WorkerId);
        Assert.Contains("liveness probe failed", replacement.LastExitReason);
        Assert.Equal(1, replacement.Restarts);
        Assert.False(PrimaryProcess.IsAlive(hang.ProcessId));
        Assert.Contains(primary.Output, line => line.Contains($"Worker {hang.WorkerId} (pid {hang.ProcessId}) is unhealthy", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task Sigterm_lets_a_slow_request_finish_then_everything_exits(string mode)
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, mode);
        var workers = await primary.WaitForRunningAsync(2);

        var slow = PublicClient.GetAsync(primary.BaseAddress, "/fault/slow?ms=3000");
        await primary.WaitForOutputAsync("Slow request started", TimeSpan.FromSeconds(10));
        primary.Signal(Primary.Processes.UnixSignals.SigTerm);

        var answer = await slow.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("slept 3000 ms", answer.Body);

        await primary.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, primary.Process.ExitCode);
        Assert.All(workers, w => Assert.False(PrimaryProcess.IsAlive(w.ProcessId), $"worker pid {w.ProcessId} outlived the primary"));
        Assert.False(File.Exists(Path.Combine(primary.RuntimeDirectory, "control.sock")));
    }

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task Killing_the_primary_leaves_no_worker_alive(string mode)
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, mode);
        var workers = await primary.WaitForRunningAsync(2);

        primary.Signal(9);

        using var deadline = new CancellationTokenSource(s_orphanDeadline);
        while (workers.Any(w => PrimaryProcess.IsAlive(w.ProcessId)) && !deadline.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        Assert.All(workers, w => Assert.False(PrimaryProcess.IsAlive(w.ProcessId), $"worker pid {w.ProcessId} survived its primary by {s_orphanDeadline.TotalSeconds} s"));
    }
}

using System.Diagnostics;
using ClusterTemplate.Shared.Control;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// Liveness tells a busy worker from a hung one: a stopped worker, or one whose thread pool makes no
/// progress, is replaced within the liveness timeout; a worker saturated with CPU-bound requests is left alone.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class LivenessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_replacementBudget = TimeSpan.FromSeconds(30);

    // The primary's production health settings: what a user gets without tuning anything.
    private static readonly string[] s_defaultHealth =
    [
        "--Cluster:Health:Interval=00:00:02",
        "--Cluster:Health:Timeout=00:00:02",
        "--Cluster:Health:StopGracePeriod=00:00:05",
        "--Cluster:Health:LivenessTimeout=00:00:02",
    ];

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task A_stopped_worker_is_replaced_within_the_liveness_timeout(string mode)
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, mode, s_defaultHealth);
        var victim = (await primary.WaitForRunningAsync(2)).Single(w => w.WorkerId == 1);

        var stopped = Stopwatch.StartNew();
        Assert.True(Primary.Processes.UnixSignals.Send(victim.ProcessId, 19 /* SIGSTOP */));
        var after = await primary.WaitForWorkersAsync(
            workers => workers.Single(w => w.WorkerId == 1) is { Generation: 2 } replacement && replacement.ProcessId != victim.ProcessId,
            s_replacementBudget);
        var replacedAfter = stopped.Elapsed;
        output.WriteLine($"mode {mode}: stopped worker replaced after {replacedAfter.TotalSeconds:0.00} s");

        // Detection after the 2 s liveness timeout, one check interval, the kill: well under 2 s + 2 s of slack.
        Assert.True(replacedAfter < TimeSpan.FromSeconds(4), $"replaced after {replacedAfter.TotalSeconds:0.0} s");
        Assert.Contains("liveness", after.Single(w => w.WorkerId == 1).LastExitReason);
        Assert.False(PrimaryProcess.IsAlive(victim.ProcessId));
    }

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task Workers_saturated_with_cpu_bound_requests_are_not_killed(string mode)
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, mode);
        var workers = await primary.WaitForRunningAsync(2);

        // Many more CPU-bound requests at once than there are cores, for several liveness timeouts.
        using var window = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var load = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var served = 0;
            while (!window.IsCancellationRequested)
            {
                var answer = await PublicClient.GetAsync(primary.BaseAddress, "/work?n=200000000");
                Assert.Equal(System.Net.HttpStatusCode.OK, answer.Status);
                served++;
            }

            return served;
        })).ToArray();
        var served = (await Task.WhenAll(load)).Sum();

        var after = (await primary.GetStatusAsync()).Workers;
        output.WriteLine($"mode {mode}: {served} CPU-bound requests served; restarts {string.Join(", ", after.Select(w => w.Restarts))}");
        Assert.True(served > 0);
        Assert.All(after, w => Assert.Equal(0, w.Restarts));
        Assert.Equal(workers.Select(w => w.ProcessId).Order(), after.Select(w => w.ProcessId).Order());
        Assert.DoesNotContain(primary.Output, line => line.Contains("is unhealthy", StringComparison.Ordinal));
    }
}

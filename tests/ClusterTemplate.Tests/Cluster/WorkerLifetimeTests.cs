using System.Diagnostics;
using ClusterTemplate.Primary.Processes;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>The primary watches its workers as processes.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WorkerLifetimeTests(ITestOutputHelper output)
{
    private const int SigKill = 9;

    [Fact]
    public async Task A_killed_worker_is_replaced_at_once_while_a_child_it_started_holds_its_output()
    {
        // The background child inherits the worker's stdout and stderr, so they never reach end-of-file.
        using var script = WorkerScript.Create("(sleep 300 & echo $! >> {pidfile})");
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport", "--worker-path", script.Path);
        try
        {
            var victim = (await primary.WaitForRunningAsync(1)).Single();
            Assert.Single(script.BackgroundPids());

            var clock = Stopwatch.StartNew();
            Assert.True(UnixSignals.Send(victim.ProcessId, SigKill));
            var replaced = await primary.WaitForWorkersAsync(
                workers => workers.Single() is { ProcessId: > 0 } worker && worker.ProcessId != victim.ProcessId,
                TimeSpan.FromSeconds(5));
            output.WriteLine($"Replacement pid {replaced.Single().ProcessId} started {clock.ElapsedMilliseconds} ms after the kill.");
            Assert.Contains("signal 9 (SIGKILL)", replaced.Single().LastExitReason);
            Assert.False(PrimaryProcess.IsAlive(victim.ProcessId));
            await primary.WaitForRunningAsync(1);

            // Stopping waits for the workers, not for what they left behind.
            clock.Restart();
            primary.Signal(UnixSignals.SigTerm);
            await primary.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            output.WriteLine($"The primary stopped {clock.ElapsedMilliseconds} ms after SIGTERM.");
            Assert.Equal(0, primary.Process.ExitCode);
            Assert.All(script.BackgroundPids(), pid => Assert.True(PrimaryProcess.IsAlive(pid), $"background child {pid} was expected to outlive the workers"));
        }
        finally
        {
            // Before the primary is disposed: a primary that waits for end-of-output would wait for these.
            foreach (var pid in script.BackgroundPids())
            {
                UnixSignals.Send(pid, SigKill);
            }
        }
    }
}

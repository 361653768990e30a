using System.Diagnostics;
using System.Net;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>The primary watches its workers as processes, and they die with it, however unresponsive they are.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WorkerLifetimeTests(ITestOutputHelper output)
{
    private const int SigStop = 19;
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

    [Fact]
    public async Task Workers_outlive_the_primary_threads_that_started_them()
    {
        // A worker dies with the thread that forked it (PR_SET_PDEATHSIG): idle pool threads retire after 200 ms here, 20 s by default.
        await using var primary = PrimaryProcess.Start(output, new Dictionary<string, string?> { ["DOTNET_ThreadPool_ThreadTimeoutMs"] = "200" }, workers: 2, "reuseport");
        var workers = await primary.WaitForRunningAsync(2);

        await Task.Delay(TimeSpan.FromSeconds(3));

        var after = (await primary.GetStatusAsync()).Workers;
        Assert.Equal(workers.Select(w => (w.WorkerId, w.ProcessId, Restarts: 0)), after.Select(w => (w.WorkerId, w.ProcessId, w.Restarts)));
        Assert.All(workers, w => Assert.True(PrimaryProcess.IsAlive(w.ProcessId), $"worker pid {w.ProcessId} died"));
    }

    [Fact]
    public async Task A_worker_whose_primary_died_before_it_started_exits_at_once()
    {
        using var gone = Process.Start("true")!;
        await gone.WaitForExitAsync();
        Assert.True(new WorkerProgramLocator().TryLocate(null, out var program, out _));
        var startInfo = new ProcessStartInfo(program.FileName, program.Arguments)
        {
            WorkingDirectory = program.ContentRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                [ServiceDefaults.Cluster.ClusterEnvironment.PrimaryProcessId] = gone.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [ServiceDefaults.Cluster.ClusterEnvironment.WorkerId] = "1",
                [ServiceDefaults.Cluster.ClusterEnvironment.Mode] = "reuseport",
                [ServiceDefaults.Cluster.ClusterEnvironment.Port] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };

        using var worker = Process.Start(startInfo)!;
        var stderr = worker.StandardError.ReadToEndAsync();
        var exited = worker.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(20))) != exited)
        {
            worker.Kill();
            Assert.Fail("the worker of a dead primary kept running");
        }

        Assert.Equal(1, worker.ExitCode);
        Assert.Equal($"Worker 1: primary {gone.Id} is gone before the worker started; exiting.", (await stderr).Trim());
    }

    [Fact]
    public async Task Killing_the_primary_kills_its_hung_and_stopped_workers_at_once_and_frees_the_port()
    {
        // The probes must not replace the hung workers before the primary dies.
        await using var primary = PrimaryProcess.Start(output, workers: 2, "reuseport", "--Cluster:Health:LivenessTimeout=01:00:00");
        var workers = await primary.WaitForRunningAsync(2);

        var hang = await PublicClient.SendAsync(primary.BaseAddress, HttpMethod.Post, "/fault/hang");
        Assert.Equal(HttpStatusCode.Accepted, hang.Status);
        var stopped = workers.Single(w => w.ProcessId != hang.ProcessId);
        Assert.True(UnixSignals.Send(stopped.ProcessId, SigStop));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var clock = Stopwatch.StartNew();
        primary.Signal(SigKill);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((workers.Any(w => PrimaryProcess.IsAlive(w.ProcessId)) || PortAvailability.IsTaken(primary.Port)) && !deadline.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }

        output.WriteLine($"Workers gone and port {primary.Port} free {clock.ElapsedMilliseconds} ms after kill -9 of the primary (or not within 10 s).");
        Assert.All(workers, w => Assert.False(PrimaryProcess.IsAlive(w.ProcessId), $"worker pid {w.ProcessId} outlived its primary by 10 s"));
        Assert.False(PortAvailability.IsTaken(primary.Port), "the workers' port is still taken");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the workers took {clock.ElapsedMilliseconds} ms to die");
    }
}

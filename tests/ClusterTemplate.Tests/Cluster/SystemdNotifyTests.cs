using System.Globalization;
using ClusterTemplate.Primary.Processes;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// The primary under systemd (<c>Type=notify-reload</c>), with a datagram socket playing systemd's part: READY=1 only
/// once the workers are ready, RELOADING=1 and READY=1 around a rolling restart, STOPPING=1 on SIGTERM, watchdog pings;
/// the workers never see systemd's variables.
/// </summary>
[Collection(ProcessCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Process")]
public sealed class SystemdNotifyTests(ITestOutputHelper output)
{
    private const int SigHup = 1;

    private static readonly TimeSpan s_notifyBudget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_watchdogWindow = TimeSpan.FromSeconds(3);

    private static readonly string[] s_systemdVariables = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"];

    [Fact]
    public async Task Ready_is_sent_once_every_initial_worker_is_ready_and_workers_do_not_inherit_systemds_variables()
    {
        using var systemd = new FakeSystemd();
        // The workers take two seconds to start: the primary's host (and its control socket) is up long before them.
        using var script = WorkerScript.Create("sleep 2");
        var environment = Environment(systemd, watchdogUsec: "60000000");
        environment["LISTEN_FDS"] = "0";
        environment["LISTEN_PID"] = "1";
        environment["LISTEN_FDNAMES"] = "none";
        await using var primary = PrimaryProcess.Start(output, environment, workers: 2, "reuseport", "--worker-path", script.Path);
        try
        {
            var early = await primary.WaitForWorkersAsync(_ => true);
            var receivedEarly = systemd.Received;
            Assert.False(early.All(worker => worker.Ready), "the workers were ready before the test could look");
            Assert.DoesNotContain(receivedEarly, item => item.Has("READY=1"));

            var ready = await systemd.WaitForAsync(item => item.Has("READY=1"), s_notifyBudget);
            var atReady = (await primary.GetStatusAsync()).Workers;
            Assert.Equal(2, atReady.Count);
            Assert.All(atReady, worker => Assert.True(worker.Ready, $"READY=1 arrived while worker {worker.WorkerId} was not ready"));
            Assert.Equal($"2 of 2 workers ready on port {primary.Port}, mode reuseport", ready.Fields["STATUS"]);
            Assert.Equal($"STATUS=starting 2 workers on port {primary.Port}, mode reuseport", systemd.Received.First(item => item.Text.StartsWith("STATUS=", StringComparison.Ordinal)).Text);
            Assert.Contains(systemd.Received, item => item.Text == $"STATUS=0 of 2 workers ready on port {primary.Port}, mode reuseport");
            Assert.Single(systemd.Received, item => item.Has("READY=1"));

            foreach (var worker in atReady)
            {
                var variables = File.ReadAllText($"/proc/{worker.ProcessId}/environ").Split('\0').Select(entry => entry.Split('=', 2)[0]);
                Assert.Empty(variables.Intersect(s_systemdVariables));
            }
        }
        finally
        {
            output.WriteLine("Notifications:\n" + systemd.Describe());
        }
    }

    [Fact]
    public async Task A_reload_is_framed_by_RELOADING_on_CLOCK_MONOTONIC_and_READY_and_SIGTERM_sends_STOPPING()
    {
        using var systemd = new FakeSystemd();
        await using var primary = PrimaryProcess.Start(output, Environment(systemd), workers: 2, "reuseport");
        try
        {
            await systemd.WaitForAsync(item => item.Has("READY=1"), s_notifyBudget);
            var before = (await primary.GetStatusAsync()).Workers.Select(worker => worker.ProcessId).ToArray();
            var seen = systemd.Received.Count;

            var signalledAt = FakeSystemd.MonotonicMicroseconds();
            primary.Signal(SigHup);
            var reloading = await systemd.WaitForAsync(item => item.Has("RELOADING=1"), s_notifyBudget, seen);
            var reloadStarted = long.Parse(reloading.Fields["MONOTONIC_USEC"], CultureInfo.InvariantCulture);
            Assert.InRange(reloadStarted, signalledAt, reloading.ReceivedMonotonicMicroseconds);

            var reloaded = await systemd.WaitForAsync(item => item.Has("READY=1"), s_notifyBudget, seen);
            var afterReload = (await primary.GetStatusAsync()).Workers;
            Assert.True(reloaded.ReceivedAt > reloading.ReceivedAt);
            Assert.Equal($"2 of 2 workers ready on port {primary.Port}, mode reuseport; last reload succeeded: replaced 2 workers", reloaded.Fields["STATUS"]);
            Assert.All(afterReload, worker => Assert.True(worker.Ready && !before.Contains(worker.ProcessId), $"READY=1 arrived before worker {worker.WorkerId} was replaced"));

            seen = systemd.Received.Count;
            primary.Signal(UnixSignals.SigTerm);
            var stopping = await systemd.WaitForAsync(item => item.Has("STOPPING=1"), s_notifyBudget, seen);
            Assert.Equal("stopping: draining 2 workers", stopping.Fields["STATUS"]);
            using (var exited = new CancellationTokenSource(s_notifyBudget))
            {
                await primary.Process.WaitForExitAsync(exited.Token);
            }

            Assert.DoesNotContain(systemd.Received.Skip(seen), item => item.Has("READY=1") || item.Has("RELOADING=1"));
        }
        finally
        {
            output.WriteLine("Notifications:\n" + systemd.Describe());
        }
    }

    [Fact]
    public async Task A_failed_reload_ends_with_READY_and_a_STATUS_that_says_it_failed()
    {
        using var systemd = new FakeSystemd();
        await using var primary = PrimaryProcess.Start(output, Environment(systemd), workers: 1, "reuseport",
            "--Cluster:Environment:CLUSTER_FAULT_UNREADY_FROM_GENERATION=2", "--Cluster:Health:StartupTimeout=00:00:02");
        try
        {
            await systemd.WaitForAsync(item => item.Has("READY=1"), s_notifyBudget);
            var seen = systemd.Received.Count;

            primary.Signal(SigHup);
            var reloading = await systemd.WaitForAsync(item => item.Has("RELOADING=1"), s_notifyBudget, seen);
            var reloaded = await systemd.WaitForAsync(item => item.Has("READY=1"), s_notifyBudget, seen);

            Assert.True(reloaded.ReceivedAt > reloading.ReceivedAt);
            Assert.StartsWith($"1 of 1 workers ready on port {primary.Port}, mode reuseport; last reload FAILED: rolling restart stopped at worker 1: replacement pid", reloaded.Fields["STATUS"]);
        }
        finally
        {
            output.WriteLine("Notifications:\n" + systemd.Describe());
        }
    }

    [Theory]
    [InlineData(null, true)] // WATCHDOG_PID unset: the watchdog is ours
    [InlineData("1", false)] // meant for another process
    public async Task The_watchdog_is_pinged_at_half_WATCHDOG_USEC_when_it_is_meant_for_the_primary(string? watchdogPid, bool pinged)
    {
        using var systemd = new FakeSystemd();
        var environment = Environment(systemd, watchdogUsec: "1000000");
        environment["WATCHDOG_PID"] = watchdogPid;
        await using var primary = PrimaryProcess.Start(output, environment, workers: 1, "reuseport");
        try
        {
            var ready = await systemd.WaitForAsync(item => item.Has("READY=1"), s_notifyBudget);
            await Task.Delay(s_watchdogWindow);
            var pings = systemd.Received.Where(item => item.Text == "WATCHDOG=1" && item.ReceivedAt > ready.ReceivedAt).ToArray();
            if (!pinged)
            {
                Assert.Empty(pings);
                return;
            }

            // Every 0.5 s: about six in three seconds.
            Assert.InRange(pings.Length, 4, 8);
            var gaps = pings.Zip(pings.Skip(1), (first, second) => (second.ReceivedAt - first.ReceivedAt).TotalSeconds).ToArray();
            Assert.All(gaps, gap => Assert.InRange(gap, 0.3, 0.9));
        }
        finally
        {
            output.WriteLine("Notifications:\n" + systemd.Describe());
        }
    }

    private static Dictionary<string, string?> Environment(FakeSystemd systemd, string? watchdogUsec = null) => new()
    {
        ["NOTIFY_SOCKET"] = systemd.SocketPath,
        ["WATCHDOG_USEC"] = watchdogUsec,
        ["WATCHDOG_PID"] = null,
    };
}

using System.Net;
using System.Net.Sockets;
using ClusterTemplate.Shared.Control;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// Planned operations under a bounded client load: restarts, rolling restarts and scaling must not
/// fail a single request, in every listener mode, on fresh and on keep-alive connections.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class ZeroDowntimeTests(ITestOutputHelper output)
{
    // Each rollout replaces both workers: four rollouts are eight replacements under load per mode and connection type.
    private const int Rollouts = 4;
    private static readonly TimeSpan s_successBudget = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("reuseport", true)]
    [InlineData("reuseport", false)]
    [InlineData("shared", true)]
    [InlineData("shared", false)]
    [InlineData("proxy", true)]
    [InlineData("proxy", false)]
    public async Task Rolling_restarts_under_load_fail_no_request(string mode, bool freshConnections)
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, mode);
        var initial = await primary.WaitForRunningAsync(2);
        await using var load = new LoadGenerator(primary.BaseAddress, freshConnections);
        await load.WaitForSuccessesAsync(100, s_successBudget);

        for (var rollout = 0; rollout < Rollouts; rollout++)
        {
            var result = await primary.PostAsync(ControlRoutes.Reload);
            Assert.True(result.Succeeded, result.Message);
        }

        await load.WaitForSuccessesAsync(100, s_successBudget);
        await load.StopAsync();
        var final = (await primary.GetStatusAsync()).Workers;
        Report(load, $"{Rollouts} rolling restarts, mode {mode}, fresh connections {freshConnections}");

        Assert.True(load.Failed == 0, $"{load.Failed} of {load.Failed + load.Succeeded} requests failed:\n{string.Join('\n', load.Errors)}");
        Assert.All(final, w => Assert.DoesNotContain(w.ProcessId, initial.Select(i => i.ProcessId)));
        Assert.All(final, w => Assert.Equal(1 + Rollouts, w.Generation));
        Assert.All(final, w => Assert.Equal(0, w.Restarts));
        Assert.All(initial, w => Assert.False(PrimaryProcess.IsAlive(w.ProcessId)));
    }

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task Scaling_two_to_four_to_one_under_load_fails_no_request(string mode)
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, mode);
        await primary.WaitForRunningAsync(2);
        await using var load = new LoadGenerator(primary.BaseAddress, freshConnections: true);
        await load.WaitForSuccessesAsync(100, s_successBudget);

        Assert.True((await primary.PostAsync(ControlRoutes.ScaleTo(4))).Succeeded);
        var four = await primary.WaitForRunningAsync(4);
        await load.WaitForSuccessesAsync(200, s_successBudget);

        // A shared queue goes to whichever worker is awake first, so 200 requests need not reach all four; each must, in time.
        await load.WaitForAnswersFromAsync(four.Select(w => w.ProcessId), s_successBudget);
        var servedByFour = load.AnswersByPid.Keys.Intersect(four.Select(w => w.ProcessId)).Count();

        Assert.True((await primary.PostAsync(ControlRoutes.ScaleTo(1))).Succeeded);
        var one = await primary.WaitForRunningAsync(1);
        await load.WaitForSuccessesAsync(100, s_successBudget);
        await load.StopAsync();
        Report(load, $"scale 2 -> 4 -> 1, mode {mode}");

        Assert.True(load.Failed == 0, $"{load.Failed} of {load.Failed + load.Succeeded} requests failed:\n{string.Join('\n', load.Errors)}");
        Assert.Equal(4, servedByFour);
        Assert.Equal([1], one.Select(w => w.WorkerId));
        Assert.All(four.Where(w => w.WorkerId > 1), w => Assert.False(PrimaryProcess.IsAlive(w.ProcessId)));
    }

    [Fact]
    public async Task A_connection_whose_request_comes_late_is_served_by_the_stopping_worker()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport");
        var old = (await primary.WaitForRunningAsync(1)).Single();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, primary.Port);

        var restart = primary.PostAsync(ControlRoutes.RestartWorkerWithId(1));
        await primary.WaitForOutputAsync($"Worker 1 (pid {old.ProcessId}) stopping", s_successBudget);

        // The stimulus, not a wait for a condition: a client slower than a scheduler hiccup but well
        // within the drain's connection grace, so Kestrel would have closed this connection as idle.
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        var stream = client.GetStream();
        await stream.WriteAsync("GET / HTTP/1.1\r\nHost: cluster\r\n\r\n"u8.ToArray());
        using var reader = new StreamReader(stream);
        var response = await reader.ReadToEndAsync().WaitAsync(s_successBudget);

        Assert.StartsWith("HTTP/1.1 200", response);
        Assert.Contains($"X-Cluster-Worker-Pid: {old.ProcessId}", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Connection: close", response, StringComparison.OrdinalIgnoreCase);
        Assert.True((await restart).Succeeded);
        Assert.False(PrimaryProcess.IsAlive(old.ProcessId));
    }

    [Fact]
    public async Task Sighup_starts_a_rolling_restart()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, "reuseport");
        var initial = await primary.WaitForRunningAsync(2);

        primary.Signal(1);

        var final = await primary.WaitForWorkersAsync(workers =>
            workers.All(w => w is { State: WorkerState.Running, Generation: 2 }) && initial.All(i => !PrimaryProcess.IsAlive(i.ProcessId)));
        Assert.All(final, w => Assert.DoesNotContain(w.ProcessId, initial.Select(i => i.ProcessId)));
        await primary.WaitForOutputAsync("Rolling restart of 2 workers completed", s_successBudget);
    }

    private void Report(LoadGenerator load, string what)
    {
        output.WriteLine($"{what}: {load.Succeeded} requests succeeded, {load.Failed} failed; answered by {load.AnswersByPid.Count} pids");
        foreach (var error in load.Errors)
        {
            output.WriteLine("  " + error);
        }
    }
}

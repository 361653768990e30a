using System.Globalization;
using System.Net;
using ClusterTemplate.Shared.Control;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>Operating a running cluster: the command-line client, failed rollouts and recycling.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class OperationsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_replacementBudget = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_command_line_client_shows_and_changes_a_running_cluster()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, "reuseport");
        var workers = await primary.WaitForRunningAsync(2);

        var status = await ClientAsync(primary, "status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains($"Cluster on port {primary.Port}, mode reuseport", status.StandardOutput);
        Assert.All(workers, w => Assert.Contains(w.ProcessId.ToString(CultureInfo.InvariantCulture), status.StandardOutput));

        var scale = await ClientAsync(primary, "scale", "3");
        Assert.Equal((0, "scaled from 2 to 3 workers"), (scale.ExitCode, scale.StandardOutput.Trim()));
        var added = (await primary.GetStatusAsync()).Workers.Single(w => w.WorkerId == 3);
        Assert.True(added is { State: WorkerState.Running, Ready: true }, $"scale answered before worker 3 was ready: {added}");
        await primary.WaitForOutputAsync("Operation scale finished", s_replacementBudget);
        var lines = primary.Output.ToList();
        var listening = lines.FindIndex(line => line.Contains($"Worker 3 (pid {added.ProcessId}) listening", StringComparison.Ordinal));
        var finished = lines.FindIndex(line => line.Contains("Operation scale finished: succeeded=True", StringComparison.Ordinal));
        Assert.True(listening >= 0 && finished > listening, $"the primary should say worker 3 listens (line {listening}) before it says the scale finished (line {finished})");

        var restart = await ClientAsync(primary, "restart", "1");
        Assert.Equal(0, restart.ExitCode);
        Assert.StartsWith($"worker 1: pid {workers.Single(w => w.WorkerId == 1).ProcessId} replaced by pid", restart.StandardOutput);

        var reload = await ClientAsync(primary, "reload");
        Assert.Equal((0, "replaced 3 workers"), (reload.ExitCode, reload.StandardOutput.Trim()));

        var refused = await ClientAsync(primary, "scale", "0");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("error: scale failed: Cluster:Workers must be a whole number in 1..256 (got '0').", refused.StandardError.Trim());

        var unknown = await ClientAsync(primary, "restart", "9");
        Assert.Equal((1, "error: restart failed: no worker 9"), (unknown.ExitCode, unknown.StandardError.Trim()));
    }

    [Fact]
    public async Task The_status_command_prints_json_for_scripts()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, "reuseport");
        var workers = await primary.WaitForRunningAsync(2);

        var status = await ClientAsync(primary, "status", "--json");

        Assert.Equal((0, ""), (status.ExitCode, status.StandardError));
        var parsed = System.Text.Json.JsonSerializer.Deserialize<ClusterStatus>(status.StandardOutput, ControlJson.Options);
        Assert.NotNull(parsed);
        Assert.Equal((primary.Process.Id, primary.Port, "reuseport"), (parsed.ProcessId, parsed.Port, parsed.Mode));
        Assert.Equal(workers.Select(w => w.ProcessId).Order(), parsed.Workers.Select(w => w.ProcessId).Order());
        Assert.All(parsed.Workers, w => Assert.True(w is { State: WorkerState.Running, Ready: true }));
    }

    [Fact]
    public async Task The_command_line_client_says_so_when_no_primary_runs()
    {
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);

        var status = await PrimaryProcess.RunToExitAsync("status", "--port", port);

        Assert.Equal(1, status.ExitCode);
        Assert.StartsWith($"error: no primary is running on port {port}", status.StandardError);
    }

    [Theory]
    [InlineData("scale", "lots")]
    [InlineData("restart", "first")]
    public async Task The_command_line_client_refuses_a_bad_argument(string command, string argument)
    {
        var result = await PrimaryProcess.RunToExitAsync(command, argument);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: usage: {command} <", result.StandardError);
    }

    [Fact]
    public async Task A_rollout_whose_replacement_never_gets_ready_stops_and_the_old_workers_keep_serving()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, "reuseport",
            "--Cluster:Environment:CLUSTER_FAULT_UNREADY_FROM_GENERATION=2", "--Cluster:Health:StartupTimeout=00:00:10");
        var workers = await primary.WaitForRunningAsync(2);

        var result = await primary.PostAsync(ControlRoutes.Reload);

        Assert.False(result.Succeeded);
        Assert.Contains("rolling restart stopped at worker 1", result.Message);
        Assert.Contains("not ready within 10 s", result.Message);
        var after = (await primary.GetStatusAsync()).Workers;
        Assert.Equal(workers.Select(w => w.ProcessId).Order(), after.Select(w => w.ProcessId).Order());
        var pids = await PublicClient.CollectPidsAsync(primary.BaseAddress, expected: 2);
        Assert.Equal(workers.Select(w => w.ProcessId).Order(), pids.Order());
    }

    [Fact]
    public async Task A_worker_that_served_max_requests_is_replaced_without_failing_a_request()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport", "--Cluster:Recycle:MaxRequests=40");
        var before = (await primary.WaitForRunningAsync(1)).Single();
        await using var load = new LoadGenerator(primary.BaseAddress, freshConnections: true, concurrency: 2);

        var after = await primary.WaitForWorkersAsync(w => w.Single() is { State: WorkerState.Running, Generation: 2 }, s_replacementBudget);
        await load.WaitForSuccessesAsync(50, s_replacementBudget);
        await load.StopAsync();

        Assert.Equal(0, load.Failed);
        Assert.NotEqual(before.ProcessId, after.Single().ProcessId);
        Assert.Contains(primary.Output, line => line.Contains($"Worker 1 (pid {before.ProcessId}) is recycled: served", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_worker_over_its_memory_limit_is_replaced()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport", "--Cluster:Recycle:MemoryLimitMegabytes=200");
        var before = (await primary.WaitForRunningAsync(1)).Single();

        var allocate = await PublicClient.SendAsync(primary.BaseAddress, HttpMethod.Post, "/fault/allocate?mb=256");
        Assert.Equal(HttpStatusCode.OK, allocate.Status);

        var after = await primary.WaitForWorkersAsync(w => w.Single() is { State: WorkerState.Running, Generation: 2 }, s_replacementBudget);
        Assert.NotEqual(before.ProcessId, after.Single().ProcessId);
        Assert.Contains(primary.Output, line => line.Contains("over the 200 MB limit", StringComparison.Ordinal));
        Assert.Equal(0, after.Single().Restarts);
    }

    private static Task<(int ExitCode, string StandardOutput, string StandardError)> ClientAsync(PrimaryProcess primary, params string[] command) =>
        PrimaryProcess.RunToExitAsync([.. command, "--port", primary.Port.ToString(CultureInfo.InvariantCulture), "--runtime-directory", primary.RuntimeDirectory]);
}

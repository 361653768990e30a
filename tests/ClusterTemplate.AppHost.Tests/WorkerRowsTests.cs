using System.Text.RegularExpressions;
using ClusterTemplate.AppHost.Tests.Infrastructure;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterTemplate.AppHost.Tests;

/// <summary>The worker rows follow what really happens to the workers: start, crash, restart command, scale.</summary>
public sealed partial class WorkerRowsTests
{
    private const int Workers = 2;

    // Aspire's own process-id property (KnownProperties.Executable.Pid), which the dashboard labels "Process ID".
    private const string AspireProcessId = "executable.pid";
    private const string ReadableWorkingSet = "worker.working_set";

    // How long the rows may take to show what the control socket already says (the table is read every 2 s).
    private static readonly TimeSpan s_rowsFollow = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(ClusterMode.Default)]
    [InlineData(ClusterMode.Shared)]
    [InlineData(ClusterMode.Proxy)]
    public async Task Every_worker_row_runs_healthy_and_fresh_connections_reach_each_worker(ClusterMode mode)
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers, primary => primary.WithMode(mode));
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var rows = Enumerable.Range(1, Workers).Select(cluster.Row).ToArray();
        var rowPids = rows.Select(ClusterAppHost.Pid).ToHashSet();
        Assert.Equal(Workers, rowPids.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(ClusterWorkerResource.ResourceTypeName, row.ResourceType);
            Assert.Equal(1, ClusterAppHost.Property<int>(row, ClusterWorkerProperties.Generation));
            Assert.Equal(0, ClusterAppHost.Property<int>(row, ClusterWorkerProperties.Restarts));
            Assert.Equal("healthy", ClusterAppHost.Property<string>(row, ClusterWorkerProperties.Health));
            Assert.Contains(row.Relationships, r => r.ResourceName == ClusterAppHost.PrimaryName && r.Type == "Parent");
        });

        var served = await cluster.DistinctPidsAsync(Workers, budget.Token);
        Assert.Equal(rowPids, served);

        // The primary's own health is the workers' health.
        await cluster.App.ResourceNotifications.WaitForResourceHealthyAsync(ClusterAppHost.PrimaryName, budget.Token);

        // Each row has its worker's console output.
        var logs = cluster.App.Services.GetRequiredService<ResourceLoggerService>();
        await foreach (var batch in logs.WatchAsync(ClusterAppHost.WorkerRow(1)).WithCancellation(budget.Token))
        {
            if (batch.Any(line => line.Content.Contains("Now listening on", StringComparison.Ordinal)))
            {
                break;
            }
        }
    }

    [Fact]
    public async Task Each_worker_row_shows_its_real_pid_as_the_process_id_and_its_memory_readable()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);
        var status = await cluster.GetStatusAsync(budget.Token);
        Assert.Equal(Workers, status.Workers.Count);

        using var follow = new CancellationTokenSource(s_rowsFollow);
        foreach (var worker in status.Workers)
        {
            var row = await WaitUntilAsync(
                () => cluster.WaitForRowAsync(worker.WorkerId, r => Value(r, AspireProcessId) is int pid && pid == worker.ProcessId && Value(r, ReadableWorkingSet) is string, follow.Token),
                () => $"row {worker.WorkerId} shows process id {Value(cluster.Row(worker.WorkerId), AspireProcessId) ?? "none"} and memory {Value(cluster.Row(worker.WorkerId), ReadableWorkingSet) ?? "none"}, the primary says pid {worker.ProcessId}");

            var processId = row.Properties.Single(p => p.Name == AspireProcessId);
            Assert.Equal("Process ID", processId.DisplayName);
            Assert.True(processId.IsHighlighted);
            Assert.Matches(ReadableBytes(), (string)Value(row, ReadableWorkingSet)!);
            Assert.True(Value(row, ClusterWorkerProperties.WorkingSetBytes) is long bytes && bytes > 0);

            // The start time is the row's own, which the dashboard formats like every other; no second, raw one.
            Assert.Equal(worker.StartedAt?.UtcDateTime, row.StartTimeStamp);
            Assert.DoesNotContain(row.Properties, p => p.Name == "worker.started_at");
        }
    }

    [Fact]
    public async Task The_cluster_row_shows_the_primary_s_own_pid_not_that_of_dotnet_run()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);
        var status = await cluster.GetStatusAsync(budget.Token);

        using var follow = new CancellationTokenSource(s_rowsFollow);
        var primaryRow = await WaitUntilAsync(
            async () => (await cluster.WaitForPrimaryRowAsync(r => Value(r, AspireProcessId) is int pid && pid == status.ProcessId, follow.Token)).Snapshot,
            () => $"the cluster row shows process id {(cluster.App.ResourceNotifications.TryGetCurrentState(ClusterAppHost.PrimaryName, out var e) ? Value(e.Snapshot, AspireProcessId) : null) ?? "none"}, the control socket says the primary is pid {status.ProcessId}");

        Assert.Equal("Process ID", primaryRow.Properties.Single(p => p.Name == AspireProcessId).DisplayName);

        // Aspire ran the primary as `dotnet run`: that process is the primary's parent, and the row shows it as the launcher.
        var launcher = Assert.IsType<int>(Value(primaryRow, "cluster.launcher_pid"));
        Assert.Equal(launcher, ParentOf(status.ProcessId));
    }

    [Fact]
    public async Task After_a_restart_from_the_dashboard_the_cluster_row_shows_the_new_primary_s_pid()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);
        var before = await cluster.GetStatusAsync(budget.Token);

        var result = await cluster.App.ResourceCommands.ExecuteCommandAsync(ClusterAppHost.PrimaryName, KnownResourceCommands.RestartCommand, budget.Token);
        Assert.True(result.Success, result.Message);

        // The new primary answers on the same control socket once it runs.
        ClusterStatus? after = null;
        while (after is null)
        {
            try
            {
                var status = await cluster.GetStatusAsync(budget.Token);
                after = status.ProcessId != before.ProcessId ? status : null;
            }
            catch (HttpRequestException)
            {
            }

            if (after is null)
            {
                await Task.Delay(TestBudgets.PollInterval, budget.Token);
            }
        }

        using var follow = new CancellationTokenSource(s_rowsFollow);
        var primaryRow = await WaitUntilAsync(
            async () => (await cluster.WaitForPrimaryRowAsync(r => Value(r, AspireProcessId) is int pid && pid == after.ProcessId, follow.Token)).Snapshot,
            () => $"the cluster row shows process id {(cluster.App.ResourceNotifications.TryGetCurrentState(ClusterAppHost.PrimaryName, out var e) ? Value(e.Snapshot, AspireProcessId) : null) ?? "none"}, the new primary is pid {after.ProcessId}");
        Assert.Equal(ParentOf(after.ProcessId), Value(primaryRow, "cluster.launcher_pid"));
    }

    [Fact]
    public async Task Each_worker_line_shows_once_under_its_worker_row_and_not_under_the_cluster()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);
        var logs = cluster.App.Services.GetRequiredService<ResourceLoggerService>();
        var status = await cluster.GetStatusAsync(budget.Token);
        var worker1 = status.Workers.Single(w => w.WorkerId == 1);

        // A line worker 1 wrote, as its row shows it.
        var workerLine = await FirstLineAsync(logs, ClusterAppHost.WorkerRow(1), "Now listening on", budget.Token);

        // Then a line of the primary's own, written after it: everything before it in the cluster's log is complete.
        var restart = await cluster.App.ResourceCommands.ExecuteCommandAsync(ClusterAppHost.WorkerRow(2), "restart-worker", budget.Token);
        Assert.True(restart.Success, restart.Message);
        Assert.True(cluster.App.ResourceNotifications.TryGetCurrentState(ClusterAppHost.PrimaryName, out var primary));
        var primaryLines = new List<string>();
        await foreach (var batch in logs.WatchAsync(primary.ResourceId).WithCancellation(budget.Token))
        {
            primaryLines.AddRange(batch.Select(line => line.Content));
            if (primaryLines.Any(line => line.Contains("Replacing worker 2", StringComparison.Ordinal)))
            {
                break;
            }
        }

        Assert.DoesNotContain(primaryLines, line => WorkerOutputPrefix.TryParse(line, out _, out _));
        Assert.DoesNotContain(primaryLines, line => line.Contains(WorkerOutputPrefix.Format(1, worker1.ProcessId), StringComparison.Ordinal));
        Assert.DoesNotContain(primaryLines, line => line.EndsWith(workerLine, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_killed_worker_shows_its_exit_then_its_replacement_with_one_restart()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var victim = ClusterAppHost.Pid(cluster.Row(1));
        var bystander = ClusterAppHost.Pid(cluster.Row(2));
        var exitSeen = cluster.WaitForRowAsync(1, row => row.State?.Text == KnownResourceStates.Exited && row.ExitCode is not null, budget.Token);

        System.Diagnostics.Process.GetProcessById(victim).Kill();

        var exited = await exitSeen;
        Assert.Equal(137, exited.ExitCode);
        Assert.Contains("SIGKILL", ClusterAppHost.Property<string>(exited, ClusterWorkerProperties.LastExitReason));

        var replaced = await cluster.WaitForRowAsync(1, row => ClusterAppHost.IsServing(row) && ClusterAppHost.Pid(row) != victim, budget.Token);
        Assert.Equal(1, ClusterAppHost.Property<int>(replaced, ClusterWorkerProperties.Restarts));
        Assert.Equal(2, ClusterAppHost.Property<int>(replaced, ClusterWorkerProperties.Generation));
        Assert.Contains("SIGKILL", ClusterAppHost.Property<string>(replaced, ClusterWorkerProperties.LastExitReason));
        Assert.Equal(bystander, ClusterAppHost.Pid(cluster.Row(2)));

        var served = await cluster.DistinctPidsAsync(Workers, budget.Token);
        Assert.Equal(new HashSet<int> { ClusterAppHost.Pid(replaced), bystander }, served);
    }

    [Fact]
    public async Task A_hung_worker_is_replaced_by_the_health_probe_and_its_row_says_why()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers, primary => primary
            .WithWorkerEnvironment("CLUSTER_FAULT_INJECTION", "true")
            .WithEnvironment("Cluster__Health__Interval", "00:00:00.500")
            .WithEnvironment("Cluster__Health__Timeout", "00:00:00.500")
            .WithEnvironment("Cluster__Health__LivenessTimeout", "00:00:01")
            .WithEnvironment("Cluster__Health__StopGracePeriod", "00:00:01"));
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var before = Enumerable.Range(1, Workers).ToDictionary(id => id, id => ClusterAppHost.Pid(cluster.Row(id)));

        // Whichever worker takes the request hangs; it may or may not get its answer out first.
        int? hungPid = null;
        using (var http = ClusterAppHost.NewClient())
        {
            http.Timeout = TimeSpan.FromSeconds(2);
            using var request = new HttpRequestMessage(HttpMethod.Post, cluster.Url("/fault/hang"));
            request.Headers.ConnectionClose = true;
            try
            {
                using var response = await http.SendAsync(request, budget.Token);
                hungPid = int.Parse(response.Headers.GetValues("X-Cluster-Worker-Pid").First(), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TaskCanceledException) when (!budget.IsCancellationRequested)
            {
            }
        }

        var replacements = Enumerable.Range(1, Workers)
            .Select(id => cluster.WaitForRowAsync(id, row => ClusterAppHost.IsServing(row) && ClusterAppHost.Pid(row) != before[id], budget.Token))
            .ToArray();
        var replaced = await await Task.WhenAny(replacements);
        var hungId = ClusterAppHost.Property<int>(replaced, ClusterWorkerProperties.WorkerId);

        if (hungPid is { } pid)
        {
            Assert.Equal(before[hungId], pid);
        }

        Assert.Equal(1, ClusterAppHost.Property<int>(replaced, ClusterWorkerProperties.Restarts));
        Assert.Contains("liveness probe failed", ClusterAppHost.Property<string>(replaced, ClusterWorkerProperties.LastExitReason));
        foreach (var other in before.Keys.Where(id => id != hungId))
        {
            Assert.Equal(before[other], ClusterAppHost.Pid(cluster.Row(other)));
        }
    }

    [Fact]
    public async Task The_restart_worker_command_replaces_exactly_that_worker()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);
        var before = Enumerable.Range(1, Workers).ToDictionary(id => id, id => ClusterAppHost.Pid(cluster.Row(id)));

        var result = await cluster.App.ResourceCommands.ExecuteCommandAsync(ClusterAppHost.WorkerRow(2), "restart-worker", budget.Token);

        Assert.True(result.Success, result.Message);
        var restarted = await cluster.WaitForRowAsync(2, row => ClusterAppHost.IsServing(row) && ClusterAppHost.Pid(row) != before[2], budget.Token);
        Assert.Equal(2, ClusterAppHost.Property<int>(restarted, ClusterWorkerProperties.Generation));
        Assert.Equal(0, ClusterAppHost.Property<int>(restarted, ClusterWorkerProperties.Restarts));
        Assert.False(OwnedProcesses.IsAlive(before[2]), $"the replaced worker (pid {before[2]}) still runs");

        var untouched = cluster.Row(1);
        Assert.Equal(before[1], ClusterAppHost.Pid(untouched));
        Assert.Equal(1, ClusterAppHost.Property<int>(untouched, ClusterWorkerProperties.Generation));
    }

    [Fact]
    public async Task Rows_follow_scale_up_and_down()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var up = await cluster.App.ResourceCommands.ExecuteCommandAsync(
            ClusterAppHost.PrimaryName,
            "scale",
            new InteractionInputCollection([new InteractionInput { Name = "workers", InputType = InputType.Number, Value = "3" }]),
            budget.Token);
        Assert.True(up.Success, up.Message);
        var added = await cluster.WaitForRowAsync(3, ClusterAppHost.IsServing, budget.Token);
        Assert.Equal(3, (await cluster.DistinctPidsAsync(3, budget.Token)).Count);

        var down = await cluster.App.ResourceCommands.ExecuteCommandAsync(ClusterAppHost.PrimaryName, "scale-down", budget.Token);
        Assert.True(down.Success, down.Message);
        await cluster.WaitForRowAsync(3, row => row.IsHidden, budget.Token);
        Assert.True(ClusterAppHost.IsServing(cluster.Row(1)) && ClusterAppHost.IsServing(cluster.Row(2)));
        Assert.False(OwnedProcesses.IsAlive(ClusterAppHost.Pid(added)), "the removed worker still runs");
    }

    private static object? Value(CustomResourceSnapshot row, string name) => row.Properties.FirstOrDefault(p => p.Name == name)?.Value;

    /// <summary>Runs a bounded wait; when it times out, fails with what was seen instead.</summary>
    private static async Task<T> WaitUntilAsync<T>(Func<Task<T>> wait, Func<string> seen)
    {
        try
        {
            return await wait();
        }
        catch (OperationCanceledException)
        {
            Assert.Fail(seen());
            throw;
        }
    }

    /// <summary>The first line of <paramref name="resourceName"/>'s console log that holds <paramref name="marker"/>, from the marker on (no timestamp).</summary>
    private static async Task<string> FirstLineAsync(ResourceLoggerService logs, string resourceName, string marker, CancellationToken cancellationToken)
    {
        await foreach (var batch in logs.WatchAsync(resourceName).WithCancellation(cancellationToken))
        {
            if (batch.FirstOrDefault(line => line.Content.Contains(marker, StringComparison.Ordinal)) is { } found)
            {
                return found.Content[found.Content.IndexOf(marker, StringComparison.Ordinal)..];
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    private static int ParentOf(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^\d+(\.\d)? (B|KiB|MiB|GiB|TiB)$")]
    private static partial Regex ReadableBytes();
}

using ClusterTemplate.Hosting;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClusterTemplate.AppHost.Tests.Hosting;

public sealed class ClusterWorkerSnapshotsTests
{
    private const int PublicPort = 8080;
    private static readonly DateTime s_now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly ClusterWorkerResource s_worker = new("cluster-worker-1", new ClusterResource("cluster"), 1);

    [Fact]
    public void A_running_ready_worker_is_a_running_healthy_row_with_its_table_row_as_properties()
    {
        var row = Row(Status(WorkerState.Running, pid: 42, healthy: true, ready: true, restarts: 2, lastExit: "exit code 3"));

        Assert.Equal(KnownResourceStates.Running, row.State?.Text);
        Assert.Equal(HealthStatus.Healthy, row.HealthStatus);
        Assert.Equal(42, Property(row, ClusterWorkerProperties.ProcessId));
        Assert.Equal(2, Property(row, ClusterWorkerProperties.Restarts));
        Assert.Equal("exit code 3", Property(row, ClusterWorkerProperties.LastExitReason));
        Assert.Equal("cluster-parent-id", Property(row, "resource.parentName"));
        Assert.Contains(row.Relationships, r => r.ResourceName == "cluster" && r.Type == "Parent");
        Assert.Empty(row.Urls);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_running_worker_failing_a_probe_is_an_unhealthy_row(bool healthy, bool ready)
    {
        var row = Row(Status(WorkerState.Running, pid: 42, healthy: healthy, ready: ready));

        Assert.Equal(HealthStatus.Unhealthy, row.HealthStatus);
    }

    [Theory]
    [InlineData(WorkerState.Restarting, ClusterWorkerProperties.RestartingState)]
    [InlineData(WorkerState.Failed, ClusterWorkerProperties.FailedState)]
    [InlineData(WorkerState.Starting, "Starting")]
    [InlineData(WorkerState.Stopped, "Exited")]
    public void The_row_state_follows_the_slot_state(WorkerState slotState, string rowState)
    {
        Assert.Equal(rowState, Row(Status(slotState, pid: 0)).State?.Text);
    }

    [Fact]
    public void A_proxy_mode_worker_shows_its_own_loopback_url()
    {
        var row = Row(Status(WorkerState.Running, pid: 42, port: 40001));

        Assert.Equal("http://127.0.0.1:40001", Assert.Single(row.Urls).Url);
    }

    [Theory]
    [InlineData("signal 9 (SIGKILL)", 137)]
    [InlineData("exit code 3", 3)]
    public void An_exit_of_the_current_process_shows_at_once_with_its_exit_code(string detail, int exitCode)
    {
        var running = Row(Status(WorkerState.Running, pid: 42));

        var exited = Apply(running, Status(WorkerState.Running, pid: 42), new WorkerLifecycleEvent(WorkerEventKind.Exited, 1, 1, 42, s_now, detail, exitCode));

        Assert.Equal(KnownResourceStates.Exited, exited.State?.Text);
        Assert.Equal(KnownResourceStateStyles.Error, exited.State?.Style);
        Assert.Equal(exitCode, exited.ExitCode);
        Assert.Equal(s_now, exited.StopTimeStamp);
        Assert.Equal(detail, Property(exited, ClusterWorkerProperties.LastExitReason));
        Assert.Equal($"Exited: {detail}", Property(exited, ClusterWorkerProperties.LastEvent));
        Assert.Equal("pending", Property(exited, ClusterWorkerProperties.Health));
        Assert.Empty(exited.HealthReports);
    }

    [Fact]
    public void The_exit_stays_on_the_row_until_the_slot_runs_a_process_again()
    {
        var exited = Apply(Row(Status(WorkerState.Running, pid: 42)), Status(WorkerState.Running, pid: 42), new WorkerLifecycleEvent(WorkerEventKind.Exited, 1, 1, 42, s_now, "exit code 3", 3));

        var restarting = ClusterWorkerSnapshots.FromWorker(exited, Status(WorkerState.Restarting, pid: 0), PublicPort);
        var replaced = ClusterWorkerSnapshots.FromWorker(restarting, Status(WorkerState.Starting, pid: 43), PublicPort);

        Assert.Equal(ClusterWorkerProperties.RestartingState, restarting.State?.Text);
        Assert.Equal(3, restarting.ExitCode);
        Assert.Null(replaced.ExitCode);
        Assert.Null(replaced.StopTimeStamp);
    }

    [Fact]
    public void The_exit_of_a_replaced_process_changes_only_the_last_event()
    {
        var running = Row(Status(WorkerState.Running, pid: 43));

        var after = Apply(running, Status(WorkerState.Running, pid: 43), new WorkerLifecycleEvent(WorkerEventKind.Exited, 1, 1, 42, s_now, "stopped (exit code 0)", 0));

        Assert.Equal(KnownResourceStates.Running, after.State?.Text);
        Assert.Equal(43, Property(after, ClusterWorkerProperties.ProcessId));
        Assert.Null(after.ExitCode);
        Assert.Equal("Exited: stopped (exit code 0)", Property(after, ClusterWorkerProperties.LastEvent));
    }

    [Fact]
    public void An_unknown_row_stays_unknown_and_shows_only_the_event()
    {
        var unknown = ClusterWorkerSnapshots.Unknown(Row(Status(WorkerState.Running, pid: 42)), "primary not reachable");

        var after = ClusterWorkerSnapshots.WithLastEvent(unknown, new WorkerLifecycleEvent(WorkerEventKind.Exited, 1, 1, 42, s_now, "exit code 3", 3));

        Assert.Equal(ClusterWorkerProperties.UnknownState, after.State?.Text);
        Assert.Equal("Exited: exit code 3", Property(after, ClusterWorkerProperties.LastEvent));
    }

    [Fact]
    public void A_row_of_a_stopped_primary_is_exited_without_health_and_says_why()
    {
        var stopped = ClusterWorkerSnapshots.Stopped(Row(Status(WorkerState.Running, pid: 42)), "primary stopped", s_now);

        Assert.Equal(KnownResourceStates.Exited, stopped.State?.Text);
        Assert.Equal(s_now, stopped.StopTimeStamp);
        Assert.Empty(stopped.HealthReports);
        Assert.Equal("primary stopped", Property(stopped, ClusterWorkerProperties.LastEvent));
    }

    [Fact]
    public void A_removed_slot_is_hidden()
    {
        var removed = ClusterWorkerSnapshots.Removed(Row(Status(WorkerState.Running, pid: 42)), s_now);

        Assert.True(removed.IsHidden);
    }

    [Fact]
    public void A_running_worker_shows_its_pid_as_Aspire_s_process_id_and_in_the_source_column()
    {
        var row = Row(Status(WorkerState.Running, pid: 42));

        var processId = row.Properties.Single(p => p.Name == "executable.pid");
        Assert.Equal((42, "Process ID", true), (processId.Value, processId.DisplayName, processId.IsHighlighted));
        Assert.Equal("pid 42", Property(row, CustomResourceKnownProperties.Source));
        Assert.Null(Property(Row(Status(WorkerState.Restarting, pid: 0)), CustomResourceKnownProperties.Source));
    }

    [Fact]
    public void The_start_time_is_the_snapshot_s_own_and_no_property_repeats_it()
    {
        var row = Row(Status(WorkerState.Running, pid: 42));

        Assert.Equal(s_now, row.StartTimeStamp);
        Assert.DoesNotContain(row.Properties, p => p.Name == "worker.started_at");
    }

    [Fact]
    public void The_working_set_is_shown_readable_and_kept_in_bytes()
    {
        var row = Row(Status(WorkerState.Running, pid: 42) with { WorkingSetBytes = 88_289_280 });

        Assert.Equal("84.2 MiB", Property(row, ClusterWorkerProperties.WorkingSet));
        Assert.Equal(88_289_280L, Property(row, ClusterWorkerProperties.WorkingSetBytes));
        Assert.False(row.Properties.Single(p => p.Name == ClusterWorkerProperties.WorkingSetBytes).IsHighlighted);
        Assert.Null(Property(Row(Status(WorkerState.Restarting, pid: 0)), ClusterWorkerProperties.WorkingSet));
    }

    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1.0 KiB")]
    [InlineData(88_289_280L, "84.2 MiB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3.0 GiB")]
    public void Bytes_read_in_binary_units_with_one_decimal(long bytes, string expected)
    {
        Assert.Equal(expected, ClusterWorkerSnapshots.FormatBytes(bytes));
    }

    [Fact]
    public void Every_property_of_a_running_row_has_a_label_except_Aspire_s_own()
    {
        var row = Row(Status(WorkerState.Running, pid: 42));

        Assert.All(
            row.Properties.Where(p => p.Name.StartsWith("worker.", StringComparison.Ordinal) || p.Name == "executable.pid"),
            p => Assert.False(string.IsNullOrEmpty(p.DisplayName), p.Name));
    }

    private static CustomResourceSnapshot Row(WorkerSnapshot worker) =>
        ClusterWorkerSnapshots.FromWorker(ClusterWorkerSnapshots.Initial(s_worker, "cluster-parent-id", s_now), worker, PublicPort);

    /// <summary>The row after <paramref name="item"/>, the way the rows apply an event: to the slot's last known table row.</summary>
    private static CustomResourceSnapshot Apply(CustomResourceSnapshot row, WorkerSnapshot known, WorkerLifecycleEvent item) =>
        ClusterWorkerSnapshots.FromEvent(row, item, WorkerSnapshotEvents.Apply(known, item), PublicPort, s_now);

    private static WorkerSnapshot Status(WorkerState state, int pid, bool healthy = true, bool ready = true, int restarts = 0, string? lastExit = null, int port = PublicPort) =>
        new(1, 1, pid, state, healthy, ready, restarts, s_now, lastExit, port, 0, 0);

    private static object? Property(CustomResourceSnapshot row, string name) =>
        row.Properties.Single(p => p.Name == name).Value;
}

using ClusterTemplate.Hosting;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.AppHost.Tests.Hosting;

public sealed class WorkerSnapshotEventsTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkerSnapshot s_running = new(1, 1, 42, WorkerState.Running, true, true, 0, s_now, null, 8080, 10, 1024);

    [Fact]
    public void An_exit_of_the_current_process_leaves_the_slot_stopped_without_a_process_and_says_why()
    {
        var after = WorkerSnapshotEvents.Apply(s_running, Event(WorkerEventKind.Exited, pid: 42, "signal 9 (SIGKILL)", exitCode: 137));

        Assert.Equal(s_running with { ProcessId = 0, State = WorkerState.Stopped, Healthy = false, Ready = false, LastExitReason = "signal 9 (SIGKILL)" }, after);
    }

    [Fact]
    public void An_exit_reaches_a_slot_that_shows_no_process()
    {
        var restarting = s_running with { ProcessId = 0, State = WorkerState.Restarting };

        var after = WorkerSnapshotEvents.Apply(restarting, Event(WorkerEventKind.Exited, pid: 42, "exit code 3", exitCode: 3));

        Assert.Equal(WorkerState.Stopped, after.State);
        Assert.Equal("exit code 3", after.LastExitReason);
    }

    [Theory]
    [InlineData(WorkerEventKind.Exited)]
    [InlineData(WorkerEventKind.Unhealthy)]
    [InlineData(WorkerEventKind.Failed)]
    public void An_event_about_another_process_changes_nothing(WorkerEventKind kind)
    {
        Assert.Same(s_running, WorkerSnapshotEvents.Apply(s_running, Event(kind, pid: 41, "stopped (exit code 0)", exitCode: 0)));
    }

    [Fact]
    public void An_unhealthy_worker_is_no_longer_healthy()
    {
        var after = WorkerSnapshotEvents.Apply(s_running, Event(WorkerEventKind.Unhealthy, pid: 42, "liveness probe failed"));

        Assert.Equal(s_running with { Healthy = false }, after);
    }

    [Fact]
    public void A_crash_loop_after_an_exit_fails_the_slot()
    {
        var exited = WorkerSnapshotEvents.Apply(s_running, Event(WorkerEventKind.Exited, pid: 42, "exit code 3", exitCode: 3));

        var failed = WorkerSnapshotEvents.Apply(exited, Event(WorkerEventKind.Failed, pid: 42, "crash loop; retrying every 30 s"));

        Assert.Equal(WorkerState.Failed, failed.State);
        Assert.Equal(0, failed.ProcessId);
    }

    [Theory]
    [InlineData(WorkerEventKind.Started)]
    [InlineData(WorkerEventKind.Listening)]
    [InlineData(WorkerEventKind.Stopping)]
    [InlineData(WorkerEventKind.Restarting)]
    public void Other_events_wait_for_the_table(WorkerEventKind kind)
    {
        Assert.Same(s_running, WorkerSnapshotEvents.Apply(s_running, Event(kind, pid: 42)));
    }

    private static WorkerLifecycleEvent Event(WorkerEventKind kind, int pid, string? detail = null, int? exitCode = null) =>
        new(kind, 1, 1, pid, s_now, detail, exitCode);
}

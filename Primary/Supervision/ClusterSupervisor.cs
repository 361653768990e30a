using System.Diagnostics;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Primary.Telemetry;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>
/// Keeps a process in every worker slot: starts the workers with the primary, restarts one that exits
/// unexpectedly when its <see cref="Policies.RestartPolicy"/> says, and drains them all when the primary
/// stops. Planned changes (replacements, rollouts, scaling) are <see cref="ClusterOperations"/>.
/// </summary>
internal sealed class ClusterSupervisor : IHostedService, IDisposable
{
    private readonly ClusterOptions _options;
    private readonly IListenerMode _mode;
    private readonly WorkerSlots _slots;
    private readonly WorkerProcesses _processes;
    private readonly ClusterEvents _events;
    private readonly ClusterTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterSupervisor> _logger;
    private readonly SupervisorHeartbeat _heartbeat;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationTokenSource _drained = new();
    private Task _heartbeatLoop = Task.CompletedTask;

    public ClusterSupervisor(
        IOptions<ClusterOptions> options,
        ListenerModeSelector modes,
        WorkerSlots slots,
        WorkerProcesses processes,
        ClusterEvents events,
        ClusterTelemetry telemetry,
        SupervisorHeartbeat heartbeat,
        TimeProvider timeProvider,
        ILogger<ClusterSupervisor> logger)
    {
        _heartbeat = heartbeat;
        _options = options.Value;
        _mode = modes.Current;
        _slots = slots;
        _processes = processes;
        _events = events;
        _telemetry = telemetry;
        _telemetry.ObserveWorkersAlive(slots.CountRunning);
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>Cancelled when the primary starts stopping.</summary>
    public CancellationToken Stopping => _shutdown.Token;

    /// <summary>The worker table: one row per slot.</summary>
    public IReadOnlyList<WorkerSnapshot> GetWorkers() => _slots.Snapshot();

    /// <summary>Runs the listener mode's start-up work and starts the configured number of workers; does not wait for them to be ready.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _mode.Start();
        _events.Raised += OnWorkerEvent;

        // Ticks through the drain too: a primary that drains its workers is alive.
        _heartbeat.Tick();
        _heartbeatLoop = DetachedTask.Run(() => _heartbeat.RunAsync(_drained.Token));
        var origin = string.IsNullOrWhiteSpace(_options.Mode) ? "the default on this platform" : "set by Cluster:Mode";
        SupervisionLog.PrimaryRunning(_logger, Environment.ProcessId, _options.Workers, _options.Port, _mode.Name, origin + ": " + _mode.Description);
        Resize(_options.Workers);
        return Task.CompletedTask;
    }

    /// <summary>Drains every worker (SIGTERM), kills those still running after the drain timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        var slots = _slots.All();
        using var activity = _telemetry.StartEvent(SpanNames.Stop);
        activity?.SetTag("cluster.workers", slots.Length);
        SupervisionLog.Draining(_logger, slots.Length, _options.DrainTimeout.TotalSeconds);
        try
        {
            await Task.WhenAll(slots.Select(RetireAsync)).ConfigureAwait(false);
            await Task.WhenAll(slots.Select(slot => slot.Loop)).ConfigureAwait(false);
            _events.Raised -= OnWorkerEvent;
        }
        finally
        {
            await _drained.CancelAsync().ConfigureAwait(false);
            await _heartbeatLoop.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _shutdown.Dispose();
        _drained.Dispose();
    }

    /// <summary>
    /// Makes the cluster <paramref name="count"/> slots long: new slots start their workers (see
    /// <see cref="WorkerSlot.FirstStart"/>), removed ones leave the table at once and are returned for the
    /// caller to retire.
    /// </summary>
    /// <param name="count">The number of slots wanted.</param>
    /// <param name="addedBy">The span of the operation that resizes (a scale), whose trace the new slots' first starts join.</param>
    public (int Before, IReadOnlyList<WorkerSlot> Added, IReadOnlyList<WorkerSlot> Removed) Resize(int count, ActivityContext addedBy = default)
    {
        var (before, added, removed) = _slots.Resize(count, id => new WorkerSlot(id, _options.Restart) { AddedBy = addedBy });
        foreach (var slot in added)
        {
            slot.Loop = DetachedTask.Run(() => RunSlotAsync(slot));
        }

        return (before, added, removed);
    }

    /// <summary>Stops a slot for good: its loop ends and its process drains. Used by scale down and shutdown.</summary>
    public async Task RetireAsync(WorkerSlot slot)
    {
        await slot.Retired.CancelAsync().ConfigureAwait(false);

        // The gate waits out a start or replacement in progress, so no process is started behind our back.
        await slot.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (slot.Current is { } instance)
            {
                await _processes.DrainAsync(slot, instance).ConfigureAwait(false);
            }

            slot.State = WorkerState.Stopped;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    // Synchronous, so the listener mode sees a stopping worker before the supervisor asks it to stop.
    private void OnWorkerEvent(WorkerLifecycleEvent item) => _mode.OnWorkersChanged(_slots.Snapshot());

    /// <summary>
    /// Keeps one process in the slot: starts it, waits for it to exit, and after an unplanned exit
    /// starts it again when the restart policy says.
    /// </summary>
    private async Task RunSlotAsync(WorkerSlot slot)
    {
        try
        {
            await KeepSlotFilledAsync(slot).ConfigureAwait(false);
        }
        finally
        {
            slot.OnFirstStart(null);
        }
    }

    private async Task KeepSlotFilledAsync(WorkerSlot slot)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, slot.Retired.Token);
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            WorkerInstance current;
            await slot.Gate.WaitAsync(token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (token.IsCancellationRequested)
            {
                return;
            }

            try
            {
                current = slot.Current ?? _processes.Start(slot, makeCurrent: true);
            }
            finally
            {
                slot.Gate.Release();
            }

            slot.OnFirstStart(current);

            var swapped = slot.Swapped;
            await ((Task)Task.WhenAny(current.Process.Exited, swapped)).WaitAsync(token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (token.IsCancellationRequested)
            {
                return;
            }

            if (!current.Process.Exited.IsCompleted || current.PlannedStop || !ReferenceEquals(slot.Current, current))
            {
                // Replaced on purpose: watch the process that fills the slot now.
                continue;
            }

            var exit = await current.Process.Exited.ConfigureAwait(false);
            var delay = OnUnplannedExit(slot, current, exit);
            await Task.Delay(delay, _time, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private TimeSpan OnUnplannedExit(WorkerSlot slot, WorkerInstance instance, WorkerExit exit)
    {
        var now = _time.GetUtcNow();
        var uptime = now - instance.StartedAt;
        var reason = instance.FailureReason is { } failure ? $"{failure}; {exit}" : exit.ToString();

        slot.SetCurrent(null, signalLoop: false);
        slot.LastExitReason = reason;
        slot.Restarts++;
        instance.Dispose();
        _telemetry.Restarts.Add(1);

        // One trace per restart: the exit, then the start of the replacement, until it is ready; linked to the
        // start of the process that exited (and to the span that saw it hang), which are in earlier traces.
        slot.PendingRestart?.SetStatus(ActivityStatusCode.Error, "the previous replacement never became ready").Dispose();
        slot.PendingRestart = _telemetry.StartDetachedEvent(SpanNames.WorkerRestart, instance.StartContext, instance.FailureContext);
        ClusterTelemetry.TagWorker(slot.PendingRestart, slot.WorkerId, instance.Generation, instance.Process.ProcessId);
        slot.PendingRestart?.SetTag("cluster.worker.exit_reason", reason);
        using (var exitActivity = _telemetry.StartWorkerActivity(SpanNames.WorkerExit, slot.WorkerId, instance.Generation, instance.Process.ProcessId, slot.PendingRestart?.Context ?? default))
        {
            exitActivity?.SetTag("cluster.worker.exit_reason", reason);
            exitActivity?.SetTag("cluster.worker.uptime_seconds", uptime.TotalSeconds);
            exitActivity?.SetStatus(ActivityStatusCode.Error, reason);
        }

        if (exit.StartFailure is { } error)
        {
            SupervisionLog.StartFailed(_logger, slot.WorkerId, instance.Generation, error);
        }
        else
        {
            SupervisionLog.WorkerExited(_logger, slot.WorkerId, instance.Process.ProcessId, reason, uptime.TotalSeconds);
        }

        _events.Publish(_time, WorkerEventKind.Exited, instance, reason, exit.ExitCode);

        var decision = slot.Restart.OnUnplannedExit(uptime, now);
        if (decision.CrashLoop)
        {
            slot.State = WorkerState.Failed;
            SupervisionLog.CrashLoop(_logger, slot.WorkerId, _options.Restart.CrashLoopMaxRestarts, _options.Restart.CrashLoopWindow.TotalSeconds, decision.Delay.TotalSeconds);
            _events.Publish(_time, WorkerEventKind.Failed, instance, $"crash loop; retrying every {decision.Delay.TotalSeconds:0.#} s");
        }
        else
        {
            slot.State = WorkerState.Restarting;
            SupervisionLog.Restarting(_logger, slot.WorkerId, decision.Delay.TotalMilliseconds, decision.ConsecutiveCrashes);
            _events.Publish(_time, WorkerEventKind.Restarting, instance, $"in {decision.Delay.TotalMilliseconds:0} ms");
        }

        slot.PendingRestart?.SetTag("cluster.restart.delay_ms", decision.Delay.TotalMilliseconds);
        return decision.Delay;
    }
}

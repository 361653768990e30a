using System.Diagnostics;
using System.Globalization;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Health;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Primary.Supervision.Policies;
using ClusterTemplate.Primary.Telemetry;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>
/// Starts the workers, restarts them when they crash or fail their probes, replaces them without
/// dropping below N-1 serving, scales the cluster, and stops them all when the primary stops.
/// </summary>
public sealed partial class ClusterSupervisor : IHostedService, IDisposable
{
    private static readonly TimeSpan s_readinessPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly ClusterOptions _options;
    private readonly ClusterListenerMode _mode;
    private readonly IWorkerLauncher _launcher;
    private readonly IWorkerManagementClientFactory _managementClients;
    private readonly ClusterRuntimeDirectory _runtimeDirectory;
    private readonly ClusterEvents _events;
    private readonly ClusterTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterSupervisor> _logger;
    private readonly SortedDictionary<int, WorkerSlot> _slots = [];
    private readonly SemaphoreSlim _operations = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();

    /// <summary>Creates the supervisor; the workers start when the host starts.</summary>
    public ClusterSupervisor(
        IOptions<ClusterOptions> options,
        IWorkerLauncher launcher,
        IWorkerManagementClientFactory managementClients,
        ClusterRuntimeDirectory runtimeDirectory,
        ClusterEvents events,
        ClusterTelemetry telemetry,
        TimeProvider timeProvider,
        ILogger<ClusterSupervisor> logger)
    {
        _options = options.Value;
        _mode = _options.Resolve();
        _launcher = launcher;
        _managementClients = managementClients;
        _runtimeDirectory = runtimeDirectory;
        _events = events;
        _telemetry = telemetry;
        _telemetry.ObserveWorkersAlive(CountRunning);
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>The worker table: one row per slot.</summary>
    public IReadOnlyList<WorkerSnapshot> GetWorkers()
    {
        lock (_slots)
        {
            return [.. _slots.Values.Select(slot => slot.ToSnapshot())];
        }
    }

    private int CountRunning()
    {
        lock (_slots)
        {
            return _slots.Values.Count(slot => slot.State == WorkerState.Running);
        }
    }

    /// <summary>Starts the configured number of workers; returns without waiting for them to be ready.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.PrimaryRunning(_logger, Environment.ProcessId, _options.Workers, _options.Port, ClusterListenerModes.Name(_mode), ListenerModes.Describe(_mode, _options.Mode));
        lock (_slots)
        {
            for (var id = 1; id <= _options.Workers; id++)
            {
                AddSlot(id);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Drains every worker (SIGTERM), kills those still running after the drain timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);

        WorkerSlot[] slots;
        lock (_slots)
        {
            slots = [.. _slots.Values];
        }

        Log.Draining(_logger, slots.Length, _options.DrainTimeout.TotalSeconds);
        await Task.WhenAll(slots.Select(RetireAsync)).ConfigureAwait(false);
        await Task.WhenAll(slots.Select(slot => slot.Loop)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _shutdown.Dispose();
        _operations.Dispose();
    }

    private void AddSlot(int id)
    {
        var slot = new WorkerSlot(id, _options.Restart);
        _slots[id] = slot;
        slot.Loop = RunDetached(() => RunSlotAsync(slot));
    }

    /// <summary>
    /// Keeps one process in the slot: starts it, waits for it to exit, and after an unplanned exit
    /// starts it again after the backoff (or, in a crash loop, after the capped interval).
    /// </summary>
    private async Task RunSlotAsync(WorkerSlot slot)
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
                current = slot.Current ?? StartInstance(slot, makeCurrent: true);
            }
            finally
            {
                slot.Gate.Release();
            }

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

    /// <summary>
    /// Runs a long-lived loop without the caller's execution context, so the span of whatever operation
    /// started it (a scale, a rollout) does not become the parent of every span the loop makes later.
    /// </summary>
    private static Task RunDetached(Func<Task> loop)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(loop);
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

        // One trace per restart: the exit, then the start of the replacement, until it is ready.
        slot.PendingRestart?.SetStatus(ActivityStatusCode.Error, "the previous replacement never became ready").Dispose();
        slot.PendingRestart = _telemetry.StartWorkerActivity("worker.restart", slot.WorkerId, instance.Generation, instance.Process.ProcessId, parent: default);
        slot.PendingRestart?.SetTag("cluster.worker.exit_reason", reason);
        using (var exitActivity = _telemetry.StartWorkerActivity("worker.exit", slot.WorkerId, instance.Generation, instance.Process.ProcessId, slot.PendingRestart?.Context ?? default))
        {
            exitActivity?.SetTag("cluster.worker.exit_reason", reason);
            exitActivity?.SetTag("cluster.worker.uptime_seconds", uptime.TotalSeconds);
            exitActivity?.SetStatus(ActivityStatusCode.Error, reason);
        }

        Log.WorkerExited(_logger, slot.WorkerId, instance.Process.ProcessId, reason, uptime.TotalSeconds);
        Publish(WorkerEventKind.Exited, slot.WorkerId, instance.Generation, instance.Process.ProcessId, reason, exit.ExitCode);

        if (uptime >= _options.Restart.StableAfter)
        {
            slot.CrashLoop.Reset();
        }

        var delay = slot.Backoff.NextDelay(uptime);
        if (slot.CrashLoop.RecordRestart(now))
        {
            delay = _options.Restart.MaxDelay;
            slot.State = WorkerState.Failed;
            Log.CrashLoop(_logger, slot.WorkerId, _options.Restart.CrashLoopMaxRestarts, _options.Restart.CrashLoopWindow.TotalSeconds, delay.TotalSeconds);
            Publish(WorkerEventKind.Failed, slot.WorkerId, instance.Generation, instance.Process.ProcessId, $"crash loop; retrying every {delay.TotalSeconds:0.#} s");
        }
        else
        {
            slot.State = WorkerState.Restarting;
            Log.Restarting(_logger, slot.WorkerId, delay.TotalMilliseconds, slot.Backoff.ConsecutiveCrashes);
            Publish(WorkerEventKind.Restarting, slot.WorkerId, instance.Generation, instance.Process.ProcessId, $"in {delay.TotalMilliseconds:0} ms");
        }

        slot.PendingRestart?.SetTag("cluster.restart.delay_ms", delay.TotalMilliseconds);

        return delay;
    }

    private WorkerInstance StartInstance(WorkerSlot slot, bool makeCurrent)
    {
        var generation = ++slot.Generation;
        var socketPath = _runtimeDirectory.ManagementSocketPath(slot.WorkerId, generation);
        var spec = new WorkerLaunchSpec(slot.WorkerId, generation, socketPath, WorkerEnvironment.Create(_options, _mode, slot.WorkerId, generation, socketPath));
        var parent = slot.PendingRestart?.Context ?? Activity.Current?.Context ?? default;
        var startActivity = _telemetry.StartWorkerActivity("worker.start", slot.WorkerId, generation, processId: 0, parent);
        var process = _launcher.Start(spec);
        startActivity?.SetTag("process.pid", process.ProcessId);
        _telemetry.Starts.Add(1);
        var recycle = _options.Recycle;
        var instance = new WorkerInstance(slot.WorkerId, generation, process, _managementClients.Create(socketPath), _time.GetUtcNow())
        {
            StartActivity = startActivity,
            RequestLimit = recycle.MaxRequests > 0 ? recycle.MaxRequests + Random.Shared.NextInt64(recycle.MaxRequestsJitter + 1) : 0,
        };
        if (makeCurrent)
        {
            slot.SetCurrent(instance, signalLoop: false);
            if (slot.State != WorkerState.Failed)
            {
                slot.State = WorkerState.Starting;
            }
        }

        Log.WorkerStarted(_logger, slot.WorkerId, process.ProcessId, generation);
        Publish(WorkerEventKind.Started, slot.WorkerId, generation, process.ProcessId);
        _ = RunDetached(() => MonitorAsync(slot, instance));
        return instance;
    }

    /// <summary>Waits for the worker's readiness, then probes its liveness until it exits or is replaced.</summary>
    private async Task MonitorAsync(WorkerSlot slot, WorkerInstance instance)
    {
        var token = instance.MonitorToken;
        try
        {
            if (!await WaitUntilReadyAsync(instance, token).ConfigureAwait(false))
            {
                return;
            }

            instance.LastReport = await ProbeAsync(instance.Management.GetStatusAsync, token).ConfigureAwait(false);
            instance.Port = instance.LastReport?.Port ?? _options.Port;
            if (ReferenceEquals(slot.Current, instance))
            {
                slot.State = WorkerState.Running;
            }

            instance.Serving = true;
            instance.SetReady(true);
            instance.StartActivity?.SetTag("cluster.worker.port", instance.Port);
            instance.StartActivity?.SetStatus(ActivityStatusCode.Ok).Stop();
            if (ReferenceEquals(slot.Current, instance) && slot.PendingRestart is { } restart)
            {
                slot.PendingRestart = null;
                restart.SetTag("process.pid.replacement", instance.Process.ProcessId);
                restart.SetStatus(ActivityStatusCode.Ok).Stop();
            }

            Log.WorkerListening(_logger, slot.WorkerId, instance.Process.ProcessId, instance.Port);
            Publish(WorkerEventKind.Listening, slot.WorkerId, instance.Generation, instance.Process.ProcessId, $"port {instance.Port}");

            await ProbeLivenessAsync(slot, instance, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task<bool> WaitUntilReadyAsync(WorkerInstance instance, CancellationToken token)
    {
        var deadline = _time.GetUtcNow() + _options.Health.StartupTimeout;
        while (!instance.Process.Exited.IsCompleted)
        {
            if (await ProbeAsync(instance.Management.IsReadyAsync, token).ConfigureAwait(false))
            {
                return true;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                var reason = $"not ready within {_options.Health.StartupTimeout.TotalSeconds:0.#} s";
                instance.MarkFailed(reason);
                instance.SetReady(false);
                instance.StartActivity?.SetStatus(ActivityStatusCode.Error, reason).Stop();
                Log.StartTimedOut(_logger, instance.WorkerId, instance.Process.ProcessId, reason);
                await TerminateAsync(instance, _options.Health.StopGracePeriod).ConfigureAwait(false);
                return false;
            }

            await Task.Delay(s_readinessPollInterval, _time, token).ConfigureAwait(false);
        }

        instance.SetReady(false);
        instance.StartActivity?.SetStatus(ActivityStatusCode.Error, "exited before it was ready").Stop();
        return false;
    }

    private async Task ProbeLivenessAsync(WorkerSlot slot, WorkerInstance instance, CancellationToken token)
    {
        var policy = new ConsecutiveFailuresHealthPolicy(_options.Health.FailureThreshold);
        while (!instance.Process.Exited.IsCompleted)
        {
            await Task.Delay(_options.Health.Interval, _time, token).ConfigureAwait(false);
            if (instance.Process.Exited.IsCompleted || instance.PlannedStop)
            {
                return;
            }

            var alive = await ProbeAsync(instance.Management.IsAliveAsync, token).ConfigureAwait(false);
            instance.Healthy = alive;
            if (!alive)
            {
                _telemetry.FailedProbes.Add(1);
            }
            else if (slot.CrashLoop.IsTripped && _time.GetUtcNow() - instance.StartedAt >= _options.Restart.StableAfter)
            {
                slot.CrashLoop.Reset();
            }

            if (!policy.RecordProbe(alive))
            {
                if (alive)
                {
                    await RefreshReadinessAsync(slot, instance, token).ConfigureAwait(false);
                }

                continue;
            }

            var reason = $"liveness probe failed {policy.ConsecutiveFailures} times in a row (timeout {_options.Health.Timeout.TotalSeconds:0.#} s)";
            instance.MarkFailed(reason);
            instance.Serving = false;
            using var activity = _telemetry.StartWorkerActivity("worker.unhealthy", slot.WorkerId, instance.Generation, instance.Process.ProcessId);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            Log.WorkerUnhealthy(_logger, slot.WorkerId, instance.Process.ProcessId, reason);
            Publish(WorkerEventKind.Unhealthy, slot.WorkerId, instance.Generation, instance.Process.ProcessId, reason);
            await TerminateAsync(instance, _options.Health.StopGracePeriod).ConfigureAwait(false);
            return;
        }
    }

    /// <summary>Re-reads readiness and the worker's counters; a worker that stops being ready leaves the proxy's destinations.</summary>
    private async Task RefreshReadinessAsync(WorkerSlot slot, WorkerInstance instance, CancellationToken token)
    {
        var serving = await ProbeAsync(instance.Management.IsReadyAsync, token).ConfigureAwait(false);
        if (instance.PlannedStop)
        {
            return;
        }

        if (serving != instance.Serving)
        {
            instance.Serving = serving;
            Log.ReadinessChanged(_logger, slot.WorkerId, instance.Process.ProcessId, serving ? "ready again" : "not ready");
            Publish(serving ? WorkerEventKind.Ready : WorkerEventKind.NotReady, slot.WorkerId, instance.Generation, instance.Process.ProcessId);
        }

        if (await ProbeAsync(instance.Management.GetStatusAsync, token).ConfigureAwait(false) is { } report)
        {
            instance.LastReport = report;
            CheckRecycling(slot, instance, report);
        }
    }

    private void CheckRecycling(WorkerSlot slot, WorkerInstance instance, WorkerStatusReport report)
    {
        var memoryLimit = _options.Recycle.MemoryLimitMegabytes * 1024 * 1024;
        var reason = instance.RequestLimit > 0 && report.RequestsServed >= instance.RequestLimit
            ? string.Create(CultureInfo.InvariantCulture, $"served {report.RequestsServed} requests (limit {instance.RequestLimit})")
            : memoryLimit > 0 && report.WorkingSetBytes > memoryLimit
                ? string.Create(CultureInfo.InvariantCulture, $"working set {report.WorkingSetBytes / 1024 / 1024} MB over the {_options.Recycle.MemoryLimitMegabytes} MB limit")
                : null;
        if (reason is null || !instance.TryStartRecycling())
        {
            return;
        }

        Log.Recycling(_logger, slot.WorkerId, instance.Process.ProcessId, reason);
        Publish(WorkerEventKind.Recycling, slot.WorkerId, instance.Generation, instance.Process.ProcessId, reason);
        _ = Task.Run(() => RecycleAsync(slot, instance, reason));
    }

    /// <summary>One management request, bounded by <c>Cluster:Health:Timeout</c> so a frozen worker cannot stall its monitor.</summary>
    private async Task<T> ProbeAsync<T>(Func<CancellationToken, Task<T>> probe, CancellationToken token)
    {
        using var timeout = new CancellationTokenSource(_options.Health.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
        var result = await probe(linked.Token).ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
        return result;
    }

    /// <summary>SIGTERM, then SIGKILL if the process is still there after <paramref name="grace"/>.</summary>
    private async Task TerminateAsync(WorkerInstance instance, TimeSpan grace)
    {
        instance.Process.RequestStop();
        using var timeout = new CancellationTokenSource(grace, _time);
        await ((Task)instance.Process.Exited).WaitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!instance.Process.Exited.IsCompleted)
        {
            Log.Killing(_logger, instance.WorkerId, instance.Process.ProcessId, grace.TotalSeconds);
            instance.Process.Kill();
            await instance.Process.Exited.ConfigureAwait(false);
        }
    }

    /// <summary>A planned stop: the exit is expected, the process drains, and is killed after <paramref name="drain"/>.</summary>
    private async Task StopInstanceAsync(WorkerSlot slot, WorkerInstance instance, TimeSpan drain)
    {
        instance.MarkPlannedStop();
        if (ReferenceEquals(slot.Current, instance))
        {
            slot.State = WorkerState.Stopping;
        }

        using var activity = _telemetry.StartWorkerActivity("worker.drain", slot.WorkerId, instance.Generation, instance.Process.ProcessId);
        Log.WorkerStopping(_logger, slot.WorkerId, instance.Process.ProcessId);
        Publish(WorkerEventKind.Stopping, slot.WorkerId, instance.Generation, instance.Process.ProcessId);
        if (_mode == ClusterListenerMode.Proxy && _options.DeregistrationDelay > TimeSpan.Zero)
        {
            // The Stopping event took it out of the proxy's destinations; requests already routed to it still arrive.
            await Task.Delay(_options.DeregistrationDelay, _time).ConfigureAwait(false);
        }

        await TerminateAsync(instance, drain).ConfigureAwait(false);
        var exit = await instance.Process.Exited.ConfigureAwait(false);
        activity?.SetTag("cluster.worker.exit", exit.ToString());
        Log.WorkerStopped(_logger, slot.WorkerId, instance.Process.ProcessId, exit.ToString());
        Publish(WorkerEventKind.Exited, slot.WorkerId, instance.Generation, instance.Process.ProcessId, $"stopped ({exit})", exit.ExitCode);
        instance.Dispose();
    }

    private void Publish(WorkerEventKind kind, int workerId, int generation, int processId, string? detail = null, int? exitCode = null) =>
        _events.Publish(new WorkerLifecycleEvent(kind, workerId, generation, processId, _time.GetUtcNow(), detail, exitCode));
}

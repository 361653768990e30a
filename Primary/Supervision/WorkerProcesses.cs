using System.Diagnostics;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Health;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Primary.Telemetry;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>
/// Starts a slot's worker processes and stops them on purpose: each start is traced, counted, published
/// and handed to the <see cref="WorkerMonitor"/>; each planned stop drains the process the listener mode's way.
/// </summary>
internal sealed class WorkerProcesses(
    IOptions<ClusterOptions> options,
    ListenerModeSelector modes,
    IWorkerLauncher launcher,
    IWorkerManagementClientFactory managementClients,
    ClusterRuntimeDirectory runtimeDirectory,
    WorkerEnvironment environment,
    WorkerSlots slots,
    WorkerMonitor monitor,
    ClusterEvents events,
    ClusterTelemetry telemetry,
    TimeProvider time,
    ILogger<ClusterSupervisor> logger)
{
    private readonly ClusterOptions _options = options.Value;

    /// <summary>
    /// Starts the slot's next process (its next generation) and begins watching it. With
    /// <paramref name="makeCurrent"/> it fills the slot at once; otherwise it is a replacement that the
    /// caller swaps in once it is ready. A program that cannot be started gives an instance that has
    /// already exited with the error (<see cref="WorkerExit.StartFailure"/>), for the caller to report.
    /// </summary>
    public WorkerInstance Start(WorkerSlot slot, bool makeCurrent)
    {
        var generation = ++slot.Generation;
        var socketPath = runtimeDirectory.ManagementSocketPath(slot.WorkerId, generation);
        var heartbeatPath = runtimeDirectory.HeartbeatPath(slot.WorkerId, generation);
        var spec = new WorkerLaunchSpec(slot.WorkerId, generation, socketPath, environment.Create(slots.Count, slot.WorkerId, generation, socketPath, heartbeatPath));
        var startActivity = telemetry.StartDetachedWorkerActivity(SpanNames.WorkerStart, slot.WorkerId, generation, TraceOfStart(slot, generation, makeCurrent));
        var process = Launch(spec);
        var recycle = _options.Recycle;
        var instance = new WorkerInstance(slot.WorkerId, generation, process, managementClients.Create(socketPath, process.ProcessId), heartbeatPath, time.GetUtcNow())
        {
            StartActivity = startActivity,
            ProxySocketPath = spec.Environment.GetValueOrDefault(ClusterEnvironment.ProxySocket),
            RequestLimit = recycle.MaxRequests > 0 ? recycle.MaxRequests + Random.Shared.NextInt64(recycle.MaxRequestsJitter + 1) : 0,
        };
        if (makeCurrent)
        {
            slot.SetCurrent(instance, signalLoop: false);
        }

        if (process.Exited is { IsCompleted: true, Result.StartFailure: { } error })
        {
            instance.SetReady(false);
            startActivity?.SetStatus(ActivityStatusCode.Error, error).Stop();
            return instance;
        }

        startActivity?.SetTag("process.pid", process.ProcessId);
        telemetry.Starts.Add(1);
        if (makeCurrent && slot.State != WorkerState.Failed)
        {
            slot.State = WorkerState.Starting;
        }

        SupervisionLog.WorkerStarted(logger, slot.WorkerId, process.ProcessId, generation);
        events.Publish(time, WorkerEventKind.Started, instance);
        monitor.Watch(slot, instance);
        return instance;
    }

    /// <summary>
    /// The trace a start belongs to: the crash restart it ends, the scale up that added the slot, or else (a
    /// replacement) the operation's current span; the cluster's own first starts are traces of their own.
    /// </summary>
    private static ActivityContext TraceOfStart(WorkerSlot slot, int generation, bool makeCurrent) => makeCurrent
        ? slot.PendingRestart?.Context ?? (generation == 1 ? slot.AddedBy : default)
        : default;

    private IWorkerProcess Launch(WorkerLaunchSpec spec)
    {
        try
        {
            return launcher.Start(spec);
        }
        catch (Exception exception)
        {
            // Whatever the launcher throws ends this worker, not the slot's loop or the operation that started it.
            return new FailedWorkerProcess(exception.Message);
        }
    }

    /// <summary>A planned stop: the exit is expected, the process drains, and is killed after the drain timeout.</summary>
    public async Task DrainAsync(WorkerSlot slot, WorkerInstance instance)
    {
        instance.MarkPlannedStop();
        if (ReferenceEquals(slot.Current, instance))
        {
            slot.State = WorkerState.Stopping;
        }

        // A child of the operation that stops the worker (beside the replacement's worker.start), linked to the drained process's own start.
        using var activity = telemetry.StartWorkerActivity(SpanNames.WorkerDrain, slot.WorkerId, instance.Generation, instance.Process.ProcessId);
        ClusterTelemetry.Link(activity, instance.StartContext);
        SupervisionLog.WorkerStopping(logger, slot.WorkerId, instance.Process.ProcessId);

        // The Stopping event reaches the listener mode first: the proxy takes the worker out of its destinations.
        events.Publish(time, WorkerEventKind.Stopping, instance);
        await modes.Current.BeforeWorkerStopAsync(CancellationToken.None).ConfigureAwait(false);

        await instance.TerminateAsync(_options.DrainTimeout, time, logger).ConfigureAwait(false);
        var exit = await instance.Process.Exited.ConfigureAwait(false);
        activity?.SetTag("cluster.worker.exit", exit.ToString());
        SupervisionLog.WorkerStopped(logger, slot.WorkerId, instance.Process.ProcessId, exit.ToString());
        events.Publish(time, WorkerEventKind.Exited, instance, $"stopped ({exit})", exit.ExitCode);
        instance.Dispose();
    }

    /// <summary>Stops a replacement that will not take over its slot.</summary>
    public Task DiscardAsync(WorkerInstance replacement)
    {
        replacement.MarkPlannedStop();
        return replacement.TerminateAsync(_options.Health.StopGracePeriod, time, logger);
    }
}

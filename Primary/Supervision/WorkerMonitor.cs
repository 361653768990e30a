using System.Diagnostics;
using System.Globalization;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Health;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Supervision.Policies;
using ClusterTemplate.Primary.Telemetry;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>
/// Watches one worker process for its whole life: waits for its readiness (and stops it if it is not ready
/// within <c>Health:StartupTimeout</c>), then follows its liveness heartbeat (and kills it when its thread
/// pool made no progress for <c>Health:LivenessTimeout</c>), its readiness and its counters, and raises
/// <see cref="RecycleDue"/> when it reaches a recycling limit.
/// </summary>
internal sealed class WorkerMonitor(
    IOptions<ClusterOptions> options,
    IWorkerHeartbeats heartbeats,
    ClusterEvents events,
    ClusterTelemetry telemetry,
    ListenerModeSelector modes,
    TimeProvider time,
    ILogger<ClusterSupervisor> logger)
{
    // Restart-to-serving waits for the first probe that passes: a Native AOT worker is ready some 70 ms after its start,
    // so a coarser step would be most of the restart. A probe before the management socket exists fails at once (ENOENT).
    private static readonly TimeSpan s_readinessPollInterval = TimeSpan.FromMilliseconds(10);

    private readonly ClusterOptions _options = options.Value;

    /// <summary>Raised once per process that reached <c>Recycle:MaxRequests</c> or <c>Recycle:MemoryLimitMegabytes</c>, with the reason.</summary>
    public event Action<WorkerSlot, WorkerInstance, string>? RecycleDue;

    /// <summary>Starts watching <paramref name="instance"/>; the watch ends when it exits or is disposed.</summary>
    public void Watch(WorkerSlot slot, WorkerInstance instance) => DetachedTask.Run(() => MonitorAsync(slot, instance));

    private async Task MonitorAsync(WorkerSlot slot, WorkerInstance instance)
    {
        var token = instance.MonitorToken;
        try
        {
            if (!await WaitUntilReadyAsync(instance, token).ConfigureAwait(false))
            {
                return;
            }

            instance.Port = instance.LastReport?.Port ?? _options.Port;
            if (ReferenceEquals(slot.Current, instance))
            {
                slot.State = WorkerState.Running;
            }

            instance.Serving = true;
            instance.StartActivity?.SetTag("cluster.worker.port", instance.Port);
            instance.StartActivity?.SetStatus(ActivityStatusCode.Ok).Stop();
            if (ReferenceEquals(slot.Current, instance) && slot.PendingRestart is { } restart)
            {
                slot.PendingRestart = null;
                restart.SetTag("process.pid.replacement", instance.Process.ProcessId);
                restart.SetStatus(ActivityStatusCode.Ok).Stop();
            }

            // Said and its span ended before an operation waiting for it (a scale, a replacement) goes on and ends
            // its own; ready before the event, which the listener mode reads the worker table on.
            var endpoint = modes.Current.WorkerEndpoint(slot.WorkerId, instance.Generation, instance.Port);
            SupervisionLog.WorkerListening(logger, slot.WorkerId, instance.Process.ProcessId, endpoint);
            instance.SetReady(true);
            events.Publish(time, WorkerEventKind.Listening, instance, endpoint);

            // Two loops: the heartbeat check must not wait behind a readiness request to a stopped worker.
            var readiness = FollowReadinessAsync(slot, instance, token);
            await ProbeLivenessAsync(slot, instance, token).ConfigureAwait(false);
            await readiness.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
        var deadline = time.GetUtcNow() + _options.Health.StartupTimeout;
        var answered = false;
        while (!instance.Process.Exited.IsCompleted)
        {
            var ready = await ProbeAsync(instance.Management.IsReadyAsync, token).ConfigureAwait(false);

            // Ready once it has also said which port it serves: a guess (the public port) would send a proxy to itself.
            if (ready == true && await ProbeAsync(instance.Management.GetStatusAsync, token).ConfigureAwait(false) is { } report)
            {
                instance.LastReport = report;
                return true;
            }

            answered |= ready.HasValue;
            if (time.GetUtcNow() >= deadline)
            {
                // An app that never answered at all is almost always one that does not call AddServiceDefaults().
                var reason = $"not ready within {_options.Health.StartupTimeout.TotalSeconds:0.#} s" + (answered
                    ? ": its readiness checks did not pass"
                    : ": it never answered on its management socket; does the app call builder.AddServiceDefaults() (or builder.AddClusterWorker())?");
                instance.MarkFailed(reason);
                instance.SetReady(false);
                instance.StartActivity?.SetStatus(ActivityStatusCode.Error, reason).Stop();
                SupervisionLog.StartTimedOut(logger, instance.WorkerId, instance.Process.ProcessId, reason);
                await instance.TerminateAsync(_options.Health.StopGracePeriod, time, logger).ConfigureAwait(false);
                return false;
            }

            await Task.Delay(s_readinessPollInterval, time, token).ConfigureAwait(false);
        }

        instance.SetReady(false);
        instance.StartActivity?.SetStatus(ActivityStatusCode.Error, "exited before it was ready").Stop();
        return false;
    }

    /// <summary>Looks at the heartbeat four times per liveness timeout: a <c>stat</c>, no request.</summary>
    private async Task ProbeLivenessAsync(WorkerSlot slot, WorkerInstance instance, CancellationToken token)
    {
        var health = _options.Health;
        var policy = new ProgressLivenessPolicy(health.LivenessTimeout);
        var look = health.LivenessTimeout / 4;
        var readyAt = time.GetUtcNow();
        while (!instance.Process.Exited.IsCompleted)
        {
            await Task.Delay(look, time, token).ConfigureAwait(false);
            if (instance.Process.Exited.IsCompleted || instance.PlannedStop)
            {
                return;
            }

            var now = time.GetUtcNow();
            var silence = ProgressLivenessPolicy.Silence(heartbeats.LastHeartbeat(instance.HeartbeatPath), readyAt, now);
            if (!policy.IsAlive(silence))
            {
                await ReplaceHungAsync(slot, instance, silence).ConfigureAwait(false);
                return;
            }

            instance.Healthy = true;
            if (ReferenceEquals(slot.Current, instance))
            {
                slot.Restart.OnRunning(now - instance.StartedAt);
            }
        }
    }

    /// <summary>Re-reads readiness and the worker's counters every <c>Health:Interval</c> until the process exits.</summary>
    private async Task FollowReadinessAsync(WorkerSlot slot, WorkerInstance instance, CancellationToken token)
    {
        while (!instance.Process.Exited.IsCompleted && !instance.PlannedStop)
        {
            await Task.Delay(_options.Health.Interval, time, token).ConfigureAwait(false);
            if (!instance.Process.Exited.IsCompleted && instance.Healthy)
            {
                await RefreshReadinessAsync(slot, instance, token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A worker that makes no progress cannot drain either: it is killed at once, and its slot restarts it.</summary>
    private async Task ReplaceHungAsync(WorkerSlot slot, WorkerInstance instance, TimeSpan silence)
    {
        var reason = $"liveness probe failed: no progress for {silence.TotalSeconds:0.0} s (limit {_options.Health.LivenessTimeout.TotalSeconds:0.#} s; thread pool stalled or process stopped)";
        telemetry.FailedProbes.Add(1);
        instance.MarkFailed(reason);
        instance.Healthy = false;
        instance.Serving = false;
        using var activity = telemetry.StartEvent(SpanNames.WorkerUnhealthy, instance.StartContext);
        ClusterTelemetry.TagWorker(activity, slot.WorkerId, instance.Generation, instance.Process.ProcessId);
        activity?.SetStatus(ActivityStatusCode.Error, reason);
        instance.FailureContext = activity?.Context ?? default;
        SupervisionLog.WorkerUnhealthy(logger, slot.WorkerId, instance.Process.ProcessId, reason);
        events.Publish(time, WorkerEventKind.Unhealthy, instance, reason);
        await instance.TerminateAsync(TimeSpan.Zero, time, logger).ConfigureAwait(false);
    }

    /// <summary>Re-reads readiness and the worker's counters; a worker that stops being ready leaves the proxy's destinations.</summary>
    private async Task RefreshReadinessAsync(WorkerSlot slot, WorkerInstance instance, CancellationToken token)
    {
        // No answer is no news: a busy worker's probe times out behind its requests, and liveness judges a hung one.
        if (await ProbeAsync(instance.Management.IsReadyAsync, token).ConfigureAwait(false) is not { } serving || instance.PlannedStop)
        {
            return;
        }

        if (serving != instance.Serving)
        {
            instance.Serving = serving;
            SupervisionLog.ReadinessChanged(logger, slot.WorkerId, instance.Process.ProcessId, serving ? "ready again" : "not ready");
            events.Publish(time, serving ? WorkerEventKind.Ready : WorkerEventKind.NotReady, instance);
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

        SupervisionLog.Recycling(logger, slot.WorkerId, instance.Process.ProcessId, reason);
        events.Publish(time, WorkerEventKind.Recycling, instance, reason);
        RecycleDue?.Invoke(slot, instance, reason);
    }

    /// <summary>One management request, bounded by <c>Cluster:Health:Timeout</c> so a frozen worker cannot stall its monitor.</summary>
    private async Task<T> ProbeAsync<T>(Func<CancellationToken, Task<T>> probe, CancellationToken token)
    {
        using var timeout = new CancellationTokenSource(_options.Health.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
        var result = await probe(linked.Token).ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
        return result;
    }
}

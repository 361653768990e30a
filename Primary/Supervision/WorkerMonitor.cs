using System.Diagnostics;
using System.Globalization;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Supervision.Policies;
using ClusterTemplate.Primary.Telemetry;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>
/// Probes one worker process over its management socket for its whole life: waits for its readiness
/// (and stops it if it is not ready within <c>Health:StartupTimeout</c>), then probes its liveness
/// (and stops it after <c>Health:FailureThreshold</c> failures), follows its readiness and counters,
/// and raises <see cref="RecycleDue"/> when it reaches a recycling limit.
/// </summary>
internal sealed class WorkerMonitor(
    IOptions<ClusterOptions> options,
    ClusterEvents events,
    ClusterTelemetry telemetry,
    TimeProvider time,
    ILogger<ClusterSupervisor> logger)
{
    private static readonly TimeSpan s_readinessPollInterval = TimeSpan.FromMilliseconds(50);

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

            SupervisionLog.WorkerListening(logger, slot.WorkerId, instance.Process.ProcessId, instance.Port);
            events.Publish(time, WorkerEventKind.Listening, instance, $"port {instance.Port}");

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
        var deadline = time.GetUtcNow() + _options.Health.StartupTimeout;
        while (!instance.Process.Exited.IsCompleted)
        {
            if (await ProbeAsync(instance.Management.IsReadyAsync, token).ConfigureAwait(false))
            {
                return true;
            }

            if (time.GetUtcNow() >= deadline)
            {
                var reason = $"not ready within {_options.Health.StartupTimeout.TotalSeconds:0.#} s";
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

    private async Task ProbeLivenessAsync(WorkerSlot slot, WorkerInstance instance, CancellationToken token)
    {
        var policy = new ConsecutiveFailuresHealthPolicy(_options.Health.FailureThreshold);
        while (!instance.Process.Exited.IsCompleted)
        {
            await Task.Delay(_options.Health.Interval, time, token).ConfigureAwait(false);
            if (instance.Process.Exited.IsCompleted || instance.PlannedStop)
            {
                return;
            }

            var alive = await ProbeAsync(instance.Management.IsAliveAsync, token).ConfigureAwait(false);
            instance.Healthy = alive;
            if (!alive)
            {
                telemetry.FailedProbes.Add(1);
            }
            else if (ReferenceEquals(slot.Current, instance))
            {
                slot.Restart.OnRunning(time.GetUtcNow() - instance.StartedAt);
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
            using var activity = telemetry.StartWorkerActivity("worker.unhealthy", slot.WorkerId, instance.Generation, instance.Process.ProcessId);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            SupervisionLog.WorkerUnhealthy(logger, slot.WorkerId, instance.Process.ProcessId, reason);
            events.Publish(time, WorkerEventKind.Unhealthy, instance, reason);
            await instance.TerminateAsync(_options.Health.StopGracePeriod, time, logger).ConfigureAwait(false);
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

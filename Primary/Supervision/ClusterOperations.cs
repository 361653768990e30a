using System.Diagnostics;
using System.Globalization;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Init;
using ClusterTemplate.Primary.Telemetry;
using ClusterTemplate.Primary.Tls;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>
/// The planned changes to the cluster, one at a time: replacing a worker the zero-downtime way (its
/// replacement ready before it drains), rolling restarts, scaling, and recycling.
/// </summary>
internal sealed class ClusterOperations : IDisposable
{
    private readonly ClusterOptions _options;
    private readonly ClusterSupervisor _supervisor;
    private readonly WorkerSlots _slots;
    private readonly WorkerProcesses _processes;
    private readonly ClusterTelemetry _telemetry;
    private readonly ClusterInit _init;
    private readonly PublicCertificate? _certificate;
    private readonly ILogger<ClusterSupervisor> _logger;
    private readonly SemaphoreSlim _operations = new(1, 1);

    public ClusterOperations(
        IOptions<ClusterOptions> options,
        ClusterSupervisor supervisor,
        WorkerSlots slots,
        WorkerProcesses processes,
        WorkerMonitor monitor,
        ClusterTelemetry telemetry,
        ClusterInit init,
        ILogger<ClusterSupervisor> logger,
        PublicCertificate? certificate = null)
    {
        _init = init;
        _certificate = certificate;
        _options = options.Value;
        _supervisor = supervisor;
        _slots = slots;
        _processes = processes;
        _telemetry = telemetry;
        _logger = logger;
        monitor.RecycleDue += (slot, instance, reason) => _ = Task.Run(() => RecycleAsync(slot, instance, reason));
    }

    /// <summary>
    /// Replaces one worker the zero-downtime way: its replacement starts and must pass its readiness
    /// probe before the old process is drained and stopped. If the replacement does not become ready,
    /// it is stopped and the old process keeps serving.
    /// </summary>
    public async Task<ClusterOperationResult> RestartWorkerAsync(int workerId, CancellationToken cancellationToken = default)
    {
        await _operations.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var activity = _telemetry.StartEvent(SpanNames.RestartWorker, _slots.Find(workerId)?.Current?.StartContext ?? default);
            activity?.SetTag("cluster.worker.id", workerId);
            var result = await ReplaceAsync(workerId, "restart requested", cancellationToken).ConfigureAwait(false);
            SupervisionLog.OperationCompleted(_logger, "restart of worker " + workerId.ToString(CultureInfo.InvariantCulture), result.Succeeded, result.Message);
            return Complete(activity, result);
        }
        finally
        {
            _operations.Release();
        }
    }

    /// <summary>Raised when a rolling restart starts, before its first replacement (and before the init it may run).</summary>
    public event Action? RolloutStarted;

    /// <summary>Raised when a rolling restart ends, however it ends, with its result.</summary>
    public event Action<ClusterOperationResult>? RolloutEnded;

    /// <summary>Replaces every worker, one at a time; stops at the first replacement that fails.</summary>
    public async Task<ClusterOperationResult> RollingRestartAsync(CancellationToken cancellationToken = default)
    {
        await _operations.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RolloutStarted?.Invoke();
            var result = new ClusterOperationResult(false, "rolling restart interrupted: the primary is stopping");
            try
            {
                return result = await RollOutAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                RolloutEnded?.Invoke(result);
            }
        }
        finally
        {
            _operations.Release();
        }
    }

    /// <summary>
    /// Scales the cluster to <paramref name="count"/> workers: removed workers are drained, added ones
    /// started, and it returns once every new worker is ready, or failed to become ready within
    /// <c>Health:StartupTimeout</c> (the worker monitor's bound), or could not be started; the result names each
    /// that did not get ready and why. Such a slot stays, retried like any crashed worker.
    /// </summary>
    public async Task<ClusterOperationResult> ScaleAsync(int count, CancellationToken cancellationToken = default)
    {
        if (!ClusterOptions.IsValidWorkerCount(count))
        {
            return new ClusterOperationResult(false, ClusterSettingRules.Workers.Describe(count));
        }

        await _operations.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The new slots' first starts join this trace; the workers it removes drain as its children.
            using var activity = _telemetry.StartEvent(SpanNames.Scale);
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _supervisor.Stopping);
            var (before, added, removed) = _supervisor.Resize(count, activity?.Context ?? default);
            activity?.SetTag("cluster.workers.before", before);
            activity?.SetTag("cluster.workers.after", count);
            SupervisionLog.Scaling(_logger, before, count);
            await Task.WhenAll(removed.Select(_supervisor.RetireAsync)).ConfigureAwait(false);
            var notReady = (await Task.WhenAll(added.Select(slot => WhyNotReadyAsync(slot, stopping.Token))).ConfigureAwait(false))
                .OfType<string>()
                .ToArray();
            var scaled = string.Create(CultureInfo.InvariantCulture, $"scaled from {before} to {count} workers");
            var result = notReady.Length == 0
                ? new ClusterOperationResult(true, scaled)
                : new ClusterOperationResult(false, scaled + ", but " + string.Join("; ", notReady));
            SupervisionLog.OperationCompleted(_logger, "scale", result.Succeeded, result.Message);
            return Complete(activity, result);
        }
        finally
        {
            _operations.Release();
        }
    }

    private async Task<ClusterOperationResult> RollOutAsync(CancellationToken cancellationToken)
    {
        var ids = _slots.Snapshot().Select(worker => worker.WorkerId).ToArray();
        using var activity = _telemetry.StartEvent(SpanNames.Rollout);
        activity?.SetTag("cluster.workers", ids.Length);
        SupervisionLog.RolloutStarting(_logger, ids.Length);
        if (_certificate?.Reload() is { } certificateProblem)
        {
            // The new workers could not serve TLS with these files: the old workers, and the certificate served now, stay.
            var message = "rolling restart not started: " + certificateProblem;
            SupervisionLog.RolloutFailed(_logger, message);
            return Complete(activity, new ClusterOperationResult(false, message));
        }

        if (_init.RunsBeforeRollouts && await RunInitAsync(cancellationToken).ConfigureAwait(false) is { Succeeded: false } init)
        {
            // Nothing replaced yet: the old workers keep serving.
            var message = "rolling restart not started: " + init.DescribeInOneLine();
            SupervisionLog.RolloutFailed(_logger, message);
            return Complete(activity, new ClusterOperationResult(false, message));
        }

        foreach (var id in ids)
        {
            var result = await ReplaceAsync(id, "rolling restart", cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                var message = $"rolling restart stopped at worker {id}: {result.Message}";
                SupervisionLog.RolloutFailed(_logger, message);
                return Complete(activity, new ClusterOperationResult(false, message));
            }
        }

        SupervisionLog.RolloutCompleted(_logger, ids.Length);
        return Complete(activity, new ClusterOperationResult(true, string.Create(CultureInfo.InvariantCulture, $"replaced {ids.Length} workers")));
    }

    /// <inheritdoc />
    public void Dispose() => _operations.Dispose();

    /// <summary>
    /// Waits until the first process of a slot added by a scale up is ready; null when it is (or when the slot
    /// was retired before it started), else why not. The monitor ends the wait after <c>Health:StartupTimeout</c>.
    /// </summary>
    private static async Task<string?> WhyNotReadyAsync(WorkerSlot slot, CancellationToken cancellationToken)
    {
        if (await slot.FirstStart.WaitAsync(cancellationToken).ConfigureAwait(false) is not { } instance)
        {
            return null;
        }

        if (instance.Process.Exited is { IsCompleted: true, Result.StartFailure: { } error })
        {
            return $"worker {instance.WorkerId} could not be started: {error}";
        }

        if (await instance.Ready.WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var reason = instance.FailureReason
            ?? (instance.Process.Exited.IsCompleted ? "exited before it was ready: " + await instance.Process.Exited.ConfigureAwait(false) : "stopped before it was ready");
        return string.Create(CultureInfo.InvariantCulture, $"worker {instance.WorkerId} (pid {instance.Process.ProcessId}) was not ready: {reason}");
    }

    private async Task<ClusterInitResult> RunInitAsync(CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _supervisor.Stopping);
        return await _init.RunAsync("rollout", stopping.Token).ConfigureAwait(false);
    }

    /// <summary>Replaces a worker that reached a recycling limit, unless something else replaced it first.</summary>
    private async Task RecycleAsync(WorkerSlot slot, WorkerInstance instance, string reason)
    {
        var stopping = _supervisor.Stopping;
        try
        {
            await _operations.WaitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (!ReferenceEquals(slot.Current, instance) || instance.PlannedStop)
            {
                return;
            }

            using var activity = _telemetry.StartEvent(SpanNames.WorkerRecycle, instance.StartContext);
            ClusterTelemetry.TagWorker(activity, slot.WorkerId, instance.Generation, instance.Process.ProcessId);
            var result = await ReplaceAsync(slot.WorkerId, "recycle: " + reason, stopping).ConfigureAwait(false);
            SupervisionLog.OperationCompleted(_logger, "recycle of worker " + slot.WorkerId.ToString(CultureInfo.InvariantCulture), result.Succeeded, result.Message);
            Complete(activity, result);
            if (!result.Succeeded)
            {
                instance.RecyclingFailed();
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _operations.Release();
        }
    }

    private async Task<ClusterOperationResult> ReplaceAsync(int workerId, string reason, CancellationToken cancellationToken)
    {
        if (_slots.Find(workerId) is not { } slot)
        {
            return new ClusterOperationResult(false, string.Create(CultureInfo.InvariantCulture, $"no worker {workerId}"));
        }

        WorkerInstance? old;
        WorkerInstance replacement;

        // A child of the operation; the replacement's worker.start and the old process's worker.drain are its children, side by side.
        using var activity = _telemetry.StartWorkerActivity(SpanNames.WorkerReplace, workerId, slot.Generation, slot.Current?.Process.ProcessId ?? 0);
        activity?.SetTag("cluster.replace.reason", reason);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _supervisor.Stopping);
        await slot.Gate.WaitAsync(stopping.Token).ConfigureAwait(false);
        try
        {
            if (slot.Retired.IsCancellationRequested)
            {
                return Complete(activity, new ClusterOperationResult(false, string.Create(CultureInfo.InvariantCulture, $"worker {workerId} is being removed")));
            }

            old = slot.Current;
            ClusterTelemetry.Link(activity, old?.StartContext ?? default);
            replacement = _processes.Start(slot, makeCurrent: false);
            if (replacement.Process.Exited is { IsCompleted: true, Result.StartFailure: { } error })
            {
                var failure = "replacement could not be started: " + error;
                SupervisionLog.ReplacementFailed(_logger, workerId, failure);
                replacement.Dispose();
                return Complete(activity, new ClusterOperationResult(false, failure));
            }

            SupervisionLog.Replacing(_logger, workerId, old?.Process.ProcessId ?? 0, replacement.Process.ProcessId, reason);

            bool ready;
            try
            {
                ready = await replacement.Ready.WaitAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Shutting down, or the caller gave up: the half-started replacement must not outlive the operation.
                await _processes.DiscardAsync(replacement).ConfigureAwait(false);
                replacement.Dispose();
                throw;
            }

            if (!ready)
            {
                await _processes.DiscardAsync(replacement).ConfigureAwait(false);
                var exit = await replacement.Process.Exited.ConfigureAwait(false);
                var lastLines = string.Join(" | ", replacement.Process.RecentOutput.TakeLast(3));
                var failure = $"replacement pid {replacement.Process.ProcessId} was not ready ({replacement.FailureReason ?? exit.ToString()}); last output: {lastLines}";
                SupervisionLog.ReplacementFailed(_logger, workerId, failure);
                replacement.Dispose();
                return Complete(activity, new ClusterOperationResult(false, failure));
            }

            slot.SetCurrent(replacement, signalLoop: true);
            slot.State = WorkerState.Running;
        }
        finally
        {
            slot.Gate.Release();
        }

        // Drained outside the slot's gate, so the slot loop already watches (and restarts) the replacement.
        if (old is not null)
        {
            await _processes.DrainAsync(slot, old).ConfigureAwait(false);
        }

        return Complete(activity, new ClusterOperationResult(true, string.Create(CultureInfo.InvariantCulture,
            $"worker {workerId}: pid {old?.Process.ProcessId ?? 0} replaced by pid {replacement.Process.ProcessId} (generation {replacement.Generation})")));
    }

    private static ClusterOperationResult Complete(Activity? activity, ClusterOperationResult result)
    {
        activity?.SetTag("cluster.operation.result", result.Message);
        activity?.SetStatus(result.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, result.Succeeded ? null : result.Message);
        return result;
    }
}

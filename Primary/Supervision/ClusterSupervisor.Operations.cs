using System.Diagnostics;
using System.Globalization;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Supervision;

public sealed partial class ClusterSupervisor
{
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
            using var activity = _telemetry.ActivitySource.StartActivity("cluster.restart_worker");
            activity?.SetTag("cluster.worker.id", workerId);
            var result = await ReplaceAsync(workerId, "restart requested", cancellationToken).ConfigureAwait(false);
            Log.OperationCompleted(_logger, "restart of worker " + workerId.ToString(CultureInfo.InvariantCulture), result.Succeeded, result.Message);
            return Complete(activity, result);
        }
        finally
        {
            _operations.Release();
        }
    }

    /// <summary>Replaces every worker, one at a time; stops at the first replacement that fails.</summary>
    public async Task<ClusterOperationResult> RollingRestartAsync(CancellationToken cancellationToken = default)
    {
        await _operations.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ids = GetWorkers().Select(worker => worker.WorkerId).ToArray();
            using var activity = _telemetry.ActivitySource.StartActivity("cluster.rollout");
            activity?.SetTag("cluster.workers", ids.Length);
            Log.RolloutStarting(_logger, ids.Length);
            foreach (var id in ids)
            {
                var result = await ReplaceAsync(id, "rolling restart", cancellationToken).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    var message = $"rolling restart stopped at worker {id}: {result.Message}";
                    Log.RolloutFailed(_logger, message);
                    return Complete(activity, new ClusterOperationResult(false, message));
                }
            }

            Log.RolloutCompleted(_logger, ids.Length);
            return Complete(activity, new ClusterOperationResult(true, string.Create(CultureInfo.InvariantCulture, $"replaced {ids.Length} workers")));
        }
        finally
        {
            _operations.Release();
        }
    }

    /// <summary>Scales the cluster to <paramref name="count"/> workers; removed workers are drained.</summary>
    public async Task<ClusterOperationResult> ScaleAsync(int count, CancellationToken cancellationToken = default)
    {
        if (count is < Configuration.ClusterOptions.MinWorkers or > Configuration.ClusterOptions.MaxWorkers)
        {
            return new ClusterOperationResult(false, Configuration.SettingErrors.Describe("Cluster:Workers", count));
        }

        await _operations.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<WorkerSlot> removed = [];
            int before;
            lock (_slots)
            {
                before = _slots.Count;
                for (var id = 1; _slots.Count < count; id++)
                {
                    if (!_slots.ContainsKey(id))
                    {
                        AddSlot(id);
                    }
                }

                while (_slots.Count > count)
                {
                    var last = _slots.Last();
                    _slots.Remove(last.Key);
                    removed.Add(last.Value);
                }
            }

            using var activity = _telemetry.ActivitySource.StartActivity("cluster.scale");
            activity?.SetTag("cluster.workers.before", before);
            activity?.SetTag("cluster.workers.after", count);
            Log.Scaling(_logger, before, count);
            await Task.WhenAll(removed.Select(RetireAsync)).ConfigureAwait(false);
            var result = new ClusterOperationResult(true, string.Create(CultureInfo.InvariantCulture, $"scaled from {before} to {count} workers"));
            Log.OperationCompleted(_logger, "scale", result.Succeeded, result.Message);
            return Complete(activity, result);
        }
        finally
        {
            _operations.Release();
        }
    }

    /// <summary>Replaces a worker that reached a recycling limit, unless something else replaced it first.</summary>
    private async Task RecycleAsync(WorkerSlot slot, WorkerInstance instance, string reason)
    {
        try
        {
            await _operations.WaitAsync(_shutdown.Token).ConfigureAwait(false);
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

            using var activity = _telemetry.StartWorkerActivity("worker.recycle", slot.WorkerId, instance.Generation, instance.Process.ProcessId);
            var result = await ReplaceAsync(slot.WorkerId, "recycle: " + reason, _shutdown.Token).ConfigureAwait(false);
            Log.OperationCompleted(_logger, "recycle of worker " + slot.WorkerId.ToString(CultureInfo.InvariantCulture), result.Succeeded, result.Message);
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

    /// <summary>Stops a slot for good: its loop ends and its process drains. Used by scale down and shutdown.</summary>
    private async Task RetireAsync(WorkerSlot slot)
    {
        await slot.Retired.CancelAsync().ConfigureAwait(false);

        // The gate waits out a start or replacement in progress, so no process is started behind our back.
        await slot.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (slot.Current is { } instance)
            {
                await StopInstanceAsync(slot, instance, _options.DrainTimeout).ConfigureAwait(false);
            }

            slot.State = WorkerState.Stopped;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async Task<ClusterOperationResult> ReplaceAsync(int workerId, string reason, CancellationToken cancellationToken)
    {
        WorkerSlot? slot;
        lock (_slots)
        {
            _slots.TryGetValue(workerId, out slot);
        }

        if (slot is null)
        {
            return new ClusterOperationResult(false, string.Create(CultureInfo.InvariantCulture, $"no worker {workerId}"));
        }

        WorkerInstance? old;
        WorkerInstance replacement;
        using var activity = _telemetry.StartWorkerActivity("worker.replace", workerId, slot.Generation, slot.Current?.Process.ProcessId ?? 0);
        activity?.SetTag("cluster.replace.reason", reason);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await slot.Gate.WaitAsync(stopping.Token).ConfigureAwait(false);
        try
        {
            if (slot.Retired.IsCancellationRequested)
            {
                return Complete(activity, new ClusterOperationResult(false, string.Create(CultureInfo.InvariantCulture, $"worker {workerId} is being removed")));
            }

            old = slot.Current;
            replacement = StartInstance(slot, makeCurrent: false);
            Log.Replacing(_logger, workerId, old?.Process.ProcessId ?? 0, replacement.Process.ProcessId, reason);

            bool ready;
            try
            {
                ready = await replacement.Ready.WaitAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Shutting down, or the caller gave up: the half-started replacement must not outlive the operation.
                await DiscardAsync(replacement).ConfigureAwait(false);
                replacement.Dispose();
                throw;
            }

            if (!ready)
            {
                await DiscardAsync(replacement).ConfigureAwait(false);
                var exit = await replacement.Process.Exited.ConfigureAwait(false);
                var lastLines = string.Join(" | ", replacement.Process.RecentOutput.TakeLast(3));
                var failure = $"replacement pid {replacement.Process.ProcessId} was not ready ({replacement.FailureReason ?? exit.ToString()}); last output: {lastLines}";
                Log.ReplacementFailed(_logger, workerId, failure);
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
            await StopInstanceAsync(slot, old, _options.DrainTimeout).ConfigureAwait(false);
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

    /// <summary>Stops a replacement that will not take over its slot.</summary>
    private Task DiscardAsync(WorkerInstance replacement)
    {
        replacement.MarkPlannedStop();
        return TerminateAsync(replacement, _options.Health.StopGracePeriod);
    }
}

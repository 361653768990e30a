using System.Diagnostics;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Supervision.Policies;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>
/// One place in the cluster (worker id 1..N): the process that fills it now, and the history that
/// drives its restart policy.
/// </summary>
internal sealed class WorkerSlot(int workerId, RestartOptions restart)
{
    private readonly TaskCompletionSource<WorkerInstance?> _firstStart = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _swapped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int WorkerId { get; } = workerId;

    /// <summary>When the slot starts its next process after an unplanned exit.</summary>
    public RestartPolicy Restart { get; } = new(restart);

    /// <summary>Serializes the operations that change which process fills the slot.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Stops this slot's loop when the slot is removed by a scale down.</summary>
    public CancellationTokenSource Retired { get; } = new();

    public WorkerInstance? Current { get; private set; }

    public int Generation { get; set; }

    public int Restarts { get; set; }

    public WorkerState State { get; set; } = WorkerState.Starting;

    public string? LastExitReason { get; set; }

    /// <summary>The slot's supervision loop; it ends when the slot is retired or the primary stops.</summary>
    public Task Loop { get; set; } = Task.CompletedTask;

    /// <summary>The span from an unplanned exit until the replacement is ready: the root of the restart's trace.</summary>
    public Activity? PendingRestart { get; set; }

    /// <summary>The operation that added the slot (a scale up), whose trace the slot's first start belongs to; default for the cluster's own start.</summary>
    public ActivityContext AddedBy { get; init; }

    /// <summary>
    /// The slot's first process once its start was tried (it may have failed to start); null if the slot
    /// was retired before. A scale up reports from it.
    /// </summary>
    public Task<WorkerInstance?> FirstStart => _firstStart.Task;

    public void OnFirstStart(WorkerInstance? instance) => _firstStart.TrySetResult(instance);

    /// <summary>Completes when <see cref="Current"/> was replaced, so the slot loop watches the new process.</summary>
    public Task Swapped => Volatile.Read(ref _swapped).Task;

    public void SetCurrent(WorkerInstance? instance, bool signalLoop)
    {
        Current = instance;
        if (signalLoop)
        {
            Interlocked.Exchange(ref _swapped, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    public WorkerSnapshot ToSnapshot()
    {
        var current = Current;
        return new WorkerSnapshot(
            WorkerId,
            current?.Generation ?? Generation,
            current?.Process.ProcessId ?? 0,
            State,
            current is { Healthy: true } && current.IsReady,
            current is { Serving: true, PlannedStop: false } && current.IsReady,
            Restarts,
            current?.StartedAt,
            LastExitReason,
            current?.Port ?? 0,
            current?.LastReport?.RequestsServed ?? 0,
            current?.LastReport?.WorkingSetBytes ?? 0);
    }
}

using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Hosting;

/// <summary>
/// Lifecycle events applied to the last worker table row read for their slot, so that a row shows an
/// event at once rather than at the next read of the table.
/// </summary>
internal static class WorkerSnapshotEvents
{
    /// <summary>The slot as <paramref name="item"/> leaves <paramref name="worker"/>, as far as the event tells.</summary>
    public static WorkerSnapshot Apply(WorkerSnapshot worker, WorkerLifecycleEvent item)
    {
        // An event about a process the row does not show (the old one of a planned replacement) changes nothing.
        if (worker.ProcessId != 0 && worker.ProcessId != item.ProcessId)
        {
            return worker;
        }

        return item.Kind switch
        {
            // Whether the slot restarts is for the next read of the table to say; until then it has no process.
            WorkerEventKind.Exited => worker with { ProcessId = 0, State = WorkerState.Stopped, Healthy = false, Ready = false, LastExitReason = item.Detail },
            WorkerEventKind.Unhealthy => worker with { Healthy = false },
            WorkerEventKind.Failed => worker with { State = WorkerState.Failed },
            _ => worker,
        };
    }
}

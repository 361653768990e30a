using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Hosting;

/// <summary>
/// The worker rows of one cluster: one <see cref="ClusterWorkerResource"/> per slot, created when the
/// primary first reports the slot, hidden when the slot goes away, shown again if it comes back.
/// </summary>
internal sealed class ClusterWorkerRows(ClusterResource primary, ResourceNotificationService notifications, TimeProvider time)
{
    private readonly ClusterAnnotation _cluster = primary.Settings;
    private readonly Dictionary<int, ClusterWorkerResource> _rows = [];
    private readonly HashSet<int> _shown = [];

    // The last table row of each shown slot with the events since applied; none while the primary is lost.
    private readonly Dictionary<int, WorkerSnapshot> _known = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _publicPort;

    /// <summary>Brings every row in line with the primary's worker table.</summary>
    public async Task ApplyAsync(ClusterStatus status)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _cluster.LatestStatus = status;
            _publicPort = status.Port;
            var present = new HashSet<int>();
            foreach (var worker in status.Workers)
            {
                present.Add(worker.WorkerId);
                var row = GetOrCreate(worker.WorkerId);
                _shown.Add(worker.WorkerId);
                _known[worker.WorkerId] = worker;
                await notifications.PublishUpdateAsync(row, row.Name, previous => ClusterWorkerSnapshots.FromWorker(previous, worker, status.Port)).ConfigureAwait(false);
            }

            foreach (var id in _shown.Where(id => !present.Contains(id)).ToArray())
            {
                _shown.Remove(id);
                _known.Remove(id);
                var row = _rows[id];
                var now = time.GetUtcNow().UtcDateTime;
                await notifications.PublishUpdateAsync(row, row.Name, previous => ClusterWorkerSnapshots.Removed(previous, now)).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Shows a lifecycle event on its row at once.</summary>
    public async Task ApplyAsync(WorkerLifecycleEvent item)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_shown.Contains(item.WorkerId))
            {
                // A slot the table has not shown yet (or no longer shows): the next status read decides.
                return;
            }

            var row = _rows[item.WorkerId];
            if (!_known.TryGetValue(item.WorkerId, out var known))
            {
                // The primary was lost: what the row last showed may no longer be true, so only the event is shown.
                await notifications.PublishUpdateAsync(row, row.Name, previous => ClusterWorkerSnapshots.WithLastEvent(previous, item)).ConfigureAwait(false);
                return;
            }

            var worker = WorkerSnapshotEvents.Apply(known, item);
            _known[item.WorkerId] = worker;
            var now = time.GetUtcNow().UtcDateTime;
            await notifications.PublishUpdateAsync(row, row.Name, previous => ClusterWorkerSnapshots.FromEvent(previous, item, worker, _publicPort, now)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Marks every shown row unknown: the primary is gone or does not answer.</summary>
    public async Task MarkUnknownAsync(string reason)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _cluster.LatestStatus = null;
            _known.Clear();
            foreach (var id in _shown)
            {
                var row = _rows[id];
                await notifications.PublishUpdateAsync(row, row.Name, previous => ClusterWorkerSnapshots.Unknown(previous, reason)).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Marks every shown row exited: the primary stopped on purpose, and its workers with it.</summary>
    public async Task MarkStoppedAsync(string reason)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _cluster.LatestStatus = null;
            _known.Clear();
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var id in _shown)
            {
                var row = _rows[id];
                await notifications.PublishUpdateAsync(row, row.Name, previous => ClusterWorkerSnapshots.Stopped(previous, reason, now)).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private ClusterWorkerResource GetOrCreate(int workerId)
    {
        if (!_rows.TryGetValue(workerId, out var row))
        {
            row = new ClusterWorkerResource(ClusterWorkerResource.NameFor(primary.Name, workerId), primary, workerId);
            // The primary's resource id carries DCP's suffix (cluster-abcdwxyz): the dashboard nests by id.
            var parentId = notifications.TryGetCurrentState(primary.Name, out var parent) ? parent.ResourceId : primary.Name;
            row.Annotations.Add(new ResourceSnapshotAnnotation(ClusterWorkerSnapshots.Initial(row, parentId, time.GetUtcNow().UtcDateTime)));
            ClusterCommands.AddWorkerCommands(row, _cluster);
            _rows.Add(workerId, row);
        }

        return row;
    }
}

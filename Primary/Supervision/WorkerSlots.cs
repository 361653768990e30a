using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>The cluster's worker slots, numbered 1..N: the table the supervisor keeps and everyone reads.</summary>
internal sealed class WorkerSlots
{
    private readonly SortedDictionary<int, WorkerSlot> _slots = [];

    /// <summary>The number of slots the cluster has now (what a new worker's share of the cores is sized for).</summary>
    public int Count
    {
        get
        {
            lock (_slots)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>One row per slot.</summary>
    public IReadOnlyList<WorkerSnapshot> Snapshot()
    {
        lock (_slots)
        {
            return [.. _slots.Values.Select(slot => slot.ToSnapshot())];
        }
    }

    /// <summary>The slots whose worker runs and is ready.</summary>
    public int CountRunning()
    {
        lock (_slots)
        {
            return _slots.Values.Count(slot => slot.State == WorkerState.Running);
        }
    }

    public WorkerSlot[] All()
    {
        lock (_slots)
        {
            return [.. _slots.Values];
        }
    }

    public WorkerSlot? Find(int workerId)
    {
        lock (_slots)
        {
            return _slots.GetValueOrDefault(workerId);
        }
    }

    /// <summary>
    /// Makes the table <paramref name="count"/> slots long in one step: adds slots under the lowest free ids,
    /// removes the highest-numbered ones. The caller starts the added slots and retires the removed ones.
    /// </summary>
    public (int Before, IReadOnlyList<WorkerSlot> Added, IReadOnlyList<WorkerSlot> Removed) Resize(int count, Func<int, WorkerSlot> create)
    {
        List<WorkerSlot> added = [];
        List<WorkerSlot> removed = [];
        lock (_slots)
        {
            var before = _slots.Count;
            for (var id = 1; _slots.Count < count; id++)
            {
                if (!_slots.ContainsKey(id))
                {
                    var slot = create(id);
                    _slots[id] = slot;
                    added.Add(slot);
                }
            }

            while (_slots.Count > count)
            {
                var last = _slots.Last();
                _slots.Remove(last.Key);
                removed.Add(last.Value);
            }

            return (before, added, removed);
        }
    }
}

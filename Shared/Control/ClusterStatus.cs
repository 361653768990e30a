namespace ClusterTemplate.Shared.Control;

/// <summary>The answer to <see cref="ControlRoutes.Status"/>: the cluster's settings and its worker table.</summary>
/// <param name="ProcessId">The primary's pid.</param>
/// <param name="Port">The public port.</param>
/// <param name="Mode">The listener mode, as <see cref="ClusterTemplate.ServiceDefaults.Cluster.Listeners.ListenerModeNames"/> spells it.</param>
/// <param name="Workers">One row per worker slot.</param>
public sealed record ClusterStatus(int ProcessId, int Port, string Mode, IReadOnlyList<WorkerSnapshot> Workers);

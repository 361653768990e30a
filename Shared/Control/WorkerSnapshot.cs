namespace ClusterTemplate.Shared.Control;

/// <summary>A row of the worker table: one slot as it is now.</summary>
/// <param name="WorkerId">The slot number.</param>
/// <param name="Generation">How many processes the slot has started.</param>
/// <param name="ProcessId">The current process, or 0 when none runs.</param>
/// <param name="State">Where the slot is in its life.</param>
/// <param name="Healthy">Whether the last liveness probe passed.</param>
/// <param name="Ready">Whether the last readiness probe passed and the worker takes traffic.</param>
/// <param name="Restarts">Unplanned restarts (crashes and failed probes).</param>
/// <param name="StartedAt">When the current process started.</param>
/// <param name="LastExitReason">Why the previous process ended, if one did.</param>
/// <param name="Port">The port the worker's public endpoint is bound to, once known.</param>
/// <param name="RequestsServed">Public requests the current process has served, as of its last probe.</param>
/// <param name="WorkingSetBytes">The current process's working set, as of its last probe.</param>
public sealed record WorkerSnapshot(
    int WorkerId,
    int Generation,
    int ProcessId,
    WorkerState State,
    bool Healthy,
    bool Ready,
    int Restarts,
    DateTimeOffset? StartedAt,
    string? LastExitReason,
    int Port,
    long RequestsServed,
    long WorkingSetBytes);

namespace ClusterTemplate.AppHost.Hosting.Control;

/// <summary>The primary's answer to <c>GET /control/status</c>: its settings and its worker table.</summary>
/// <param name="ProcessId">The primary's pid.</param>
/// <param name="Port">The public port.</param>
/// <param name="Mode">The listener mode (<c>reuseport</c>, <c>shared</c> or <c>proxy</c>).</param>
/// <param name="Workers">One row per worker slot.</param>
internal sealed record ClusterStatus(int ProcessId, int Port, string Mode, IReadOnlyList<WorkerStatus> Workers);

/// <summary>One row of the primary's worker table.</summary>
/// <param name="WorkerId">The slot number, 1..N.</param>
/// <param name="Generation">How many processes the slot has started.</param>
/// <param name="ProcessId">The current process, or 0 when none runs.</param>
/// <param name="State">Starting, Running, Stopping, Restarting, Failed or Stopped.</param>
/// <param name="Healthy">Whether the last liveness probe passed.</param>
/// <param name="Ready">Whether the last readiness probe passed and the worker takes traffic.</param>
/// <param name="Restarts">Unplanned restarts (crashes and failed probes).</param>
/// <param name="StartedAt">When the current process started.</param>
/// <param name="LastExitReason">Why the previous process ended, if one did.</param>
/// <param name="Port">The port the worker's public endpoint is bound to, once known.</param>
/// <param name="RequestsServed">Public requests the current process has served, as of its last probe.</param>
/// <param name="WorkingSetBytes">The current process's working set, as of its last probe.</param>
internal sealed record WorkerStatus(
    int WorkerId,
    int Generation,
    int ProcessId,
    string State,
    bool Healthy,
    bool Ready,
    int Restarts,
    DateTimeOffset? StartedAt,
    string? LastExitReason,
    int Port,
    long RequestsServed,
    long WorkingSetBytes);

/// <summary>One line of <c>GET /control/events</c>.</summary>
/// <param name="Kind">Started, Listening, Unhealthy, Exited, Restarting, Failed or Stopping.</param>
/// <param name="WorkerId">The slot.</param>
/// <param name="Generation">The slot's start count for the process concerned.</param>
/// <param name="ProcessId">The process concerned.</param>
/// <param name="Timestamp">When the primary saw it.</param>
/// <param name="Detail">Why, or with what result.</param>
/// <param name="ExitCode">For Exited: the exit code (on Unix 128 + N for signal N).</param>
internal sealed record WorkerEvent(string Kind, int WorkerId, int Generation, int ProcessId, DateTimeOffset Timestamp, string? Detail, int? ExitCode = null);

/// <summary>The answer to a control operation (restart, rolling restart, scale).</summary>
/// <param name="Succeeded">Whether it did what was asked.</param>
/// <param name="Message">What happened, in one line.</param>
internal sealed record ClusterOperationResult(bool Succeeded, string Message);

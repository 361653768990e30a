namespace ClusterTemplate.Shared.Control;

/// <summary>One lifecycle event of one worker.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="WorkerId">The slot.</param>
/// <param name="Generation">The slot's start count for the process concerned.</param>
/// <param name="ProcessId">The process concerned.</param>
/// <param name="Timestamp">When the primary saw it.</param>
/// <param name="Detail">Why, or with what result: an exit code, a probe failure, a delay.</param>
/// <param name="ExitCode">For <see cref="WorkerEventKind.Exited"/>: the exit code (on Unix 128 + N for signal N).</param>
public sealed record WorkerLifecycleEvent(WorkerEventKind Kind, int WorkerId, int Generation, int ProcessId, DateTimeOffset Timestamp, string? Detail = null, int? ExitCode = null);

namespace ClusterTemplate.Shared.Control;

/// <summary>One line of a worker's output, as the primary serves it on <see cref="ControlRoutes.Output"/>.</summary>
/// <param name="Sequence">The line's number in the primary's output stream, from 1; a client resumes after the last it read.</param>
/// <param name="WorkerId">The worker's slot.</param>
/// <param name="ProcessId">The worker process that wrote the line.</param>
/// <param name="Text">The line, as the worker wrote it.</param>
/// <param name="IsError">Whether the worker wrote it to standard error.</param>
public sealed record WorkerOutputLine(long Sequence, int WorkerId, int ProcessId, string Text, bool IsError);

namespace ClusterTemplate.Shared.Control;

/// <summary>The outcome of a control operation (restart, rolling restart, scale).</summary>
/// <param name="Succeeded">Whether the operation did what was asked.</param>
/// <param name="Message">What happened, in one line.</param>
public sealed record ClusterOperationResult(bool Succeeded, string Message);

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>The parts of the primary's <c>GET /control/status</c> answer these tests read.</summary>
internal sealed record ClusterStatusReport(int ProcessId, int Port, string Mode, IReadOnlyList<WorkerStatusReport> Workers);

/// <summary>One worker in <see cref="ClusterStatusReport"/>.</summary>
internal sealed record WorkerStatusReport(int WorkerId, int ProcessId, string State, bool Healthy, bool Ready);

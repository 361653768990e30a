namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>What a worker reports about itself on its management endpoint (<c>GET /cluster/info</c>).</summary>
/// <param name="WorkerId">The slot number.</param>
/// <param name="Generation">The slot's start count.</param>
/// <param name="ProcessId">The worker's pid.</param>
/// <param name="Port">The TCP port the worker's public endpoint is bound to.</param>
/// <param name="RequestsServed">Public requests completed so far.</param>
/// <param name="WorkingSetBytes">The process's working set.</param>
public sealed record WorkerStatusReport(int WorkerId, int Generation, int ProcessId, int Port, long RequestsServed, long WorkingSetBytes);

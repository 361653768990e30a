using System.Threading;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>Counts the public requests this worker has served; the primary reads it for status and recycling.</summary>
public sealed class WorkerRequestCounter
{
    private long _served;

    /// <summary>Requests completed on the public endpoint since the worker started.</summary>
    public long Served => Interlocked.Read(ref _served);

    internal void Increment() => Interlocked.Increment(ref _served);
}

namespace ClusterTemplate.Primary.Health;

/// <summary>Reads the liveness heartbeats the workers leave in the runtime folder.</summary>
public interface IWorkerHeartbeats
{
    /// <summary>When the worker last reported progress through <paramref name="heartbeatPath"/>; <see langword="null"/> before its first report.</summary>
    DateTimeOffset? LastHeartbeat(string heartbeatPath);
}

namespace ClusterTemplate.Primary.Health;

/// <summary>A heartbeat is the modification time of the worker's heartbeat file: one <c>stat</c> per look, no request.</summary>
internal sealed class FileWorkerHeartbeats : IWorkerHeartbeats
{
    public DateTimeOffset? LastHeartbeat(string heartbeatPath)
    {
        var info = new FileInfo(heartbeatPath);
        return info.Exists ? new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero) : null;
    }
}

namespace ClusterTemplate.Shared.Control;

/// <summary>What happened to a worker.</summary>
public enum WorkerEventKind
{
    /// <summary>A worker process was started.</summary>
    Started,

    /// <summary>Its readiness probe passed: it serves the public port.</summary>
    Listening,

    /// <summary>Its readiness probe failed: it takes no proxied traffic until it passes again.</summary>
    NotReady,

    /// <summary>Its readiness probe passes again.</summary>
    Ready,

    /// <summary>Its liveness probe failed too often; it is being replaced.</summary>
    Unhealthy,

    /// <summary>Its process exited.</summary>
    Exited,

    /// <summary>It will be started again after a backoff.</summary>
    Restarting,

    /// <summary>Its slot is in a crash loop.</summary>
    Failed,

    /// <summary>It reached a recycling limit (requests served, memory) and is replaced the rolling way.</summary>
    Recycling,

    /// <summary>It was asked to stop (planned: shutdown, replacement, scale down).</summary>
    Stopping,
}

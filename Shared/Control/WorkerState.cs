namespace ClusterTemplate.Shared.Control;

/// <summary>Where a worker slot is in its life.</summary>
public enum WorkerState
{
    /// <summary>The process runs but its readiness probe has not passed yet.</summary>
    Starting,

    /// <summary>Ready and taking traffic.</summary>
    Running,

    /// <summary>Asked to stop; finishing in-flight requests.</summary>
    Stopping,

    /// <summary>Exited unexpectedly; waiting out the backoff before the next start.</summary>
    Restarting,

    /// <summary>In a crash loop: retried only at the capped interval.</summary>
    Failed,

    /// <summary>Stopped for good (shutdown or scaled down).</summary>
    Stopped,
}

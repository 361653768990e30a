namespace ClusterTemplate.Primary.Configuration;

/// <summary>How the primary watches each worker: its liveness heartbeat, and its readiness over its private management socket.</summary>
public sealed class HealthProbeOptions
{
    /// <summary>Time between readiness probes (which also read the worker's counters). Defaults to 2 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A readiness probe that takes longer than this fails. Defaults to 2 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A ready worker whose thread pool makes no progress for this long (no work item completes while work is
    /// queued), or that is stopped, is killed and replaced. A worker busy with CPU-bound requests keeps making
    /// progress and is left alone. Defaults to 2 s.
    /// </summary>
    public TimeSpan LivenessTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A new worker that is not ready within this time is stopped and counted as a crash. Defaults to 30 s.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time a worker that did not get ready, or a replacement given up, gets between SIGTERM and SIGKILL. Defaults to 5 s.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The primary's <c>/readyz</c> passes while at least this many workers are ready (or every worker, when the
    /// cluster was scaled below it) and the primary is not stopping. Defaults to 1.
    /// </summary>
    public int MinReadyWorkers { get; set; } = 1;
}

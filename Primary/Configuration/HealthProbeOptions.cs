namespace ClusterTemplate.Primary.Configuration;

/// <summary>How the primary probes each worker over its private management socket.</summary>
public sealed class HealthProbeOptions
{
    /// <summary>Time between liveness probes. Defaults to 2 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A probe that takes longer than this fails. Defaults to 2 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive failed probes after which a worker is replaced. Defaults to 3.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>A new worker that is not ready within this time is stopped and counted as a crash. Defaults to 30 s.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time a worker replaced for failing its probes gets between SIGTERM and SIGKILL. Defaults to 5 s.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);
}

namespace ClusterTemplate.Primary.Telemetry;

/// <summary>The names of the primary's metrics; the README's "Telemetry" section explains each one.</summary>
internal static class MetricNames
{
    /// <summary>Workers running and ready now.</summary>
    public const string WorkersAlive = "cluster.workers.alive";

    /// <summary>Worker processes started.</summary>
    public const string Starts = "cluster.worker.starts";

    /// <summary>Unplanned exits, each followed by a restart.</summary>
    public const string Restarts = "cluster.worker.restarts";

    /// <summary>Workers killed for making no progress.</summary>
    public const string ProbeFailures = "cluster.worker.probe_failures";
}

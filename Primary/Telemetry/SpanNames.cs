namespace ClusterTemplate.Primary.Telemetry;

/// <summary>The names of the primary's supervision spans; the README's "Telemetry" section explains each one.</summary>
internal static class SpanNames
{
    /// <summary>Root: an unplanned exit until the replacement is ready.</summary>
    public const string WorkerRestart = "worker.restart";

    /// <summary>In <see cref="WorkerRestart"/>: the unplanned exit itself.</summary>
    public const string WorkerExit = "worker.exit";

    /// <summary>Root: a worker killed for making no progress.</summary>
    public const string WorkerUnhealthy = "worker.unhealthy";

    /// <summary>Root: the restart of one worker, asked for.</summary>
    public const string RestartWorker = "cluster.restart_worker";

    /// <summary>Root: the rolling restart of every worker.</summary>
    public const string Rollout = "cluster.rollout";

    /// <summary>Root: the replacement of a worker that reached a recycling limit.</summary>
    public const string WorkerRecycle = "worker.recycle";

    /// <summary>In an operation: one zero-downtime replacement.</summary>
    public const string WorkerReplace = "worker.replace";

    /// <summary>Root: a change of the number of workers, until the new ones are ready.</summary>
    public const string Scale = "cluster.scale";

    /// <summary>Root: the primary stopping its workers.</summary>
    public const string Stop = "cluster.stop";

    /// <summary>A process from its launch until it is ready.</summary>
    public const string WorkerStart = "worker.start";

    /// <summary>In the event that stops the worker: a planned stop.</summary>
    public const string WorkerDrain = "worker.drain";
}

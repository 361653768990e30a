namespace Aspire.Hosting.ApplicationModel;

/// <summary>Names of the properties of a <see cref="ClusterWorkerResource"/> row, and its states.</summary>
/// <remarks>
/// The row's start time is the snapshot's <see cref="CustomResourceSnapshot.StartTimeStamp"/>, which the dashboard
/// shows in its Start time column and formats like every other resource's.
/// </remarks>
public static class ClusterWorkerProperties
{
    /// <summary>The slot number, 1..N.</summary>
    public const string WorkerId = "worker.id";

    /// <summary>
    /// The current process id, 0 when none runs: Aspire's own process-id property (<c>executable.pid</c>), which the
    /// dashboard shows as "Process ID" for projects and executables; the worker rows name it so too.
    /// </summary>
    public const string ProcessId = "executable.pid";

    /// <summary>How many processes the slot has started.</summary>
    public const string Generation = "worker.generation";

    /// <summary><c>healthy</c>, <c>unhealthy</c> or <c>pending</c> (no passing probe yet).</summary>
    public const string Health = "worker.health";

    /// <summary>Whether the worker passed its readiness probe and takes traffic.</summary>
    public const string Ready = "worker.ready";

    /// <summary>Unplanned restarts (crashes and failed probes).</summary>
    public const string Restarts = "worker.restarts";

    /// <summary>Why the previous process ended.</summary>
    public const string LastExitReason = "worker.last_exit_reason";

    /// <summary>The last lifecycle event the primary reported for the slot.</summary>
    public const string LastEvent = "worker.last_event";

    /// <summary>The port the worker's public endpoint is bound to.</summary>
    public const string Port = "worker.port";

    /// <summary>Public requests the current process has served.</summary>
    public const string RequestsServed = "worker.requests_served";

    /// <summary>The current process's working set as a person reads it (<c>84.2 MiB</c>); none when no process runs.</summary>
    public const string WorkingSet = "worker.working_set";

    /// <summary>The current process's working set in bytes, for programs (shown among all properties only).</summary>
    public const string WorkingSetBytes = "worker.working_set_bytes";

    /// <summary>State text of a slot waiting out its backoff after a crash.</summary>
    public const string RestartingState = "Restarting";

    /// <summary>State text of a slot in a crash loop.</summary>
    public const string FailedState = "Failed";

    /// <summary>State text of a slot whose primary cannot be reached.</summary>
    public const string UnknownState = "Unknown";
}

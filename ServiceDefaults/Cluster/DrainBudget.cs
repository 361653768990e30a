using System;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// The drain timeout (<c>Cluster:DrainTimeout</c>) and every budget derived from it, in one place: the
/// primary's and the worker's shutdown timeouts, the stopping worker's connection grace, and how long an
/// orphaned worker may take to stop.
/// </summary>
/// <param name="Timeout">Time a worker gets to finish in-flight requests on a planned stop before it is killed.</param>
public readonly record struct DrainBudget(TimeSpan Timeout)
{
    /// <summary>The drain timeout when none is configured: 30 s, as gunicorn's and Puma's.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_maxConnectionGrace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxOrphanExit = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan s_primaryShutdownMargin = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a stopping worker that shares the public port waits for its open connections to end on
    /// their own: a second, or a quarter of the drain timeout when that is shorter, so in-flight requests
    /// keep most of it.
    /// </summary>
    public TimeSpan ConnectionGrace => Timeout / 4 < s_maxConnectionGrace ? Timeout / 4 : s_maxConnectionGrace;

    /// <summary>Upper bound on a worker's graceful stop once its primary is gone: nobody supervises it any more.</summary>
    public TimeSpan OrphanExitDeadline => Timeout < s_maxOrphanExit ? Timeout : s_maxOrphanExit;

    /// <summary>The worker host's shutdown timeout: what is left of the drain after its connection grace.</summary>
    public TimeSpan WorkerShutdownTimeout(TimeSpan connectionGrace) => Timeout - connectionGrace;

    /// <summary>
    /// The primary host's shutdown timeout: long enough for the workers' drain, the kill that follows it
    /// after <paramref name="stopGracePeriod"/>, and a margin for the primary's own stop.
    /// </summary>
    public TimeSpan PrimaryShutdownTimeout(TimeSpan stopGracePeriod) => Timeout + stopGracePeriod + s_primaryShutdownMargin;
}

namespace ClusterTemplate.Primary.Configuration;

/// <summary>
/// The cluster's one-time init run (<c>Cluster:Init</c>): the worker program started once with <c>CLUSTER_ROLE=init</c>
/// before the workers start, for work that must not run in N processes at once (migrations, schema set-up). Like a
/// Kubernetes init container or a Rails release phase: the workers start only once it has exited with 0.
/// </summary>
public sealed class InitOptions
{
    /// <summary>
    /// When the init runs: <c>never</c>, <c>start</c> (before the first workers) or <c>every-rollout</c> (before the first
    /// workers and before each rolling restart). Defaults to <c>never</c>.
    /// </summary>
    public string When { get; set; } = InitSchedule.Never;

    /// <summary>How long the init may run before it is killed and counted as failed. Defaults to 5 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
}

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>The paths of a worker's private management endpoint, shared by the worker that serves them and the primary that probes them.</summary>
public static class ManagementPaths
{
    /// <summary>The path every management endpoint is under; requests to it are plumbing, not traffic.</summary>
    public const string Prefix = "/cluster";

    /// <summary>Liveness: the process can still serve a request. Runs the checks tagged <c>live</c>.</summary>
    public const string Alive = Prefix + "/alive";

    /// <summary>Readiness: the worker takes traffic. Fails while starting and while draining.</summary>
    public const string Ready = Prefix + "/ready";

    /// <summary>Identity, bound port and counters (<see cref="WorkerStatusReport"/>).</summary>
    public const string Info = Prefix + "/info";
}

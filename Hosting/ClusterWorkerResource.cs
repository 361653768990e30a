namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// One worker slot of a cluster, shown as a row nested under its primary. The primary owns the
/// process; this resource only mirrors the primary's worker table (state, pid, health, restarts).
/// </summary>
/// <param name="name">The row's name: <c>&lt;primary&gt;-worker-&lt;id&gt;</c>.</param>
/// <param name="primary">The primary that runs the worker.</param>
/// <param name="workerId">The worker's slot number, 1..N.</param>
/// <remarks>
/// The dashboard links the row to the telemetry whose <c>service.name</c>-<c>service.instance.id</c> is the
/// row's name (Aspire's replica convention): the primary gives worker N <c>service.name</c> =
/// <c>&lt;primary's service name&gt;-worker</c> and <c>service.instance.id</c> = N.
/// The row names its primary as parent in its snapshot (so the dashboard nests it) but is not an
/// <see cref="IResourceWithParent"/>: that would make it inherit the primary's health check.
/// </remarks>
public sealed class ClusterWorkerResource(string name, ClusterResource primary, int workerId) : Resource(name)
{
    /// <summary>The resource type shown in the dashboard.</summary>
    public const string ResourceTypeName = "ClusterWorker";

    /// <summary>The primary that runs the worker.</summary>
    public ClusterResource Primary { get; } = primary;

    /// <summary>The worker's slot number, 1..N.</summary>
    public int WorkerId { get; } = workerId;

    /// <summary>The row name of worker <paramref name="workerId"/> of <paramref name="primaryName"/>.</summary>
    public static string NameFor(string primaryName, int workerId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{primaryName}-worker-{workerId}");
}

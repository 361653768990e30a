using ClusterTemplate.Hosting;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A cluster primary: the .NET project that starts, supervises and restarts N worker processes on one public port.
/// Aspire runs it as any other project; its own type carries the cluster's settings and limits the cluster methods
/// (<c>WithWorkers</c>, <c>WithMode</c>, ...) to clusters.
/// </summary>
/// <param name="name">The resource name; worker rows are named <c>&lt;name&gt;-worker-&lt;id&gt;</c>.</param>
public sealed class ClusterResource(string name) : ProjectResource(name)
{
    /// <summary>The number of worker processes the primary starts: the one <c>WithWorkers</c> set, else one per core.</summary>
    public int Workers => Settings.EffectiveWorkers;

    /// <summary>The public TCP port of the cluster.</summary>
    public int Port => Settings.Port;

    /// <summary>How connections reach the workers.</summary>
    public ClusterMode Mode => Settings.Mode;

    /// <summary>What the AppHost passes the primary, and its control client.</summary>
    internal ClusterAnnotation Settings { get; } = new()
    {
        Port = ClusterResourceBuilderExtensions.DefaultPort,
    };
}

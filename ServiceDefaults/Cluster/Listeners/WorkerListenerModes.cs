using System;
using System.Linq;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>The worker sides of the listener modes, found by name.</summary>
public static class WorkerListenerModes
{
    private static readonly IWorkerListenerMode[] s_all = [new ReusePortWorkerMode(), new SharedWorkerMode(), new ProxyWorkerMode()];

    /// <summary>The mode named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="InvalidOperationException">No mode has that name: the primary and this worker disagree.</exception>
    public static IWorkerListenerMode Get(string? name) =>
        s_all.FirstOrDefault(mode => string.Equals(mode.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(
                $"{ClusterEnvironment.Mode} '{name}' is not a listener mode this worker knows ({string.Join(", ", s_all.Select(mode => mode.Name))}); build the worker and the primary from the same version.");
}

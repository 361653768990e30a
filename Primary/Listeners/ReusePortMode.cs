using ClusterTemplate.ServiceDefaults.Cluster.Listeners;

namespace ClusterTemplate.Primary.Listeners;

/// <summary>
/// Every worker binds the public port with SO_REUSEPORT and the kernel spreads new connections over them.
/// The primary holds no public socket; it turns on listener migration where it may, so a planned stop
/// hands the stopping worker's queued connections to the others.
/// </summary>
internal sealed class ReusePortMode(ListenerMigration migration) : IListenerMode
{
    public string Name => ListenerModeNames.ReusePort;

    public string Description => "every worker binds the port with SO_REUSEPORT and the kernel spreads connections";

    public string? UnsupportedReason => ReusePortListenSocket.IsSupported
        ? null
        : "Cluster:Mode 'reuseport' needs Linux (SO_REUSEPORT balancing); accepted here: " + (InheritedListenSocket.IsSupported ? "shared or proxy." : "proxy.");

    public void Start() => migration.Ensure();
}

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>
/// The spellings of the listener modes: in <c>Cluster:Mode</c>, in the <c>CLUSTER_MODE</c> variable a
/// worker reads, and in the AppHost. Each mode is one object on each side of the process boundary,
/// chosen by one of these names.
/// </summary>
public static class ListenerModeNames
{
    /// <summary>Every worker binds the public port with SO_REUSEPORT and the kernel spreads connections (Linux).</summary>
    public const string ReusePort = "reuseport";

    /// <summary>The primary binds the public port once and the workers accept from the socket they inherit (Linux, macOS).</summary>
    public const string Shared = "shared";

    /// <summary>The primary serves the public port with YARP and forwards to ready workers on loopback.</summary>
    public const string Proxy = "proxy";
}

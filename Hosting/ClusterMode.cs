namespace Aspire.Hosting;

/// <summary>How connections reach the workers of a cluster (the primary's <c>Cluster:Mode</c>).</summary>
public enum ClusterMode
{
    /// <summary>The primary's platform default: <see cref="ReusePort"/> on Linux, <see cref="Proxy"/> elsewhere.</summary>
    Default,

    /// <summary>Every worker binds the public port with SO_REUSEPORT and the kernel spreads connections.</summary>
    ReusePort,

    /// <summary>The primary serves the public port and forwards to ready workers on loopback.</summary>
    Proxy,

    /// <summary>The primary binds the public port once and the workers accept from the socket they inherit (Linux and macOS).</summary>
    Shared,
}

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>How connections on the public port reach the workers.</summary>
public enum ClusterListenerMode
{
    /// <summary>Every worker binds the public port with SO_REUSEPORT and the kernel spreads connections.</summary>
    ReusePort,

    /// <summary>The primary serves the public port with YARP and forwards to workers on private loopback ports.</summary>
    Proxy,

    /// <summary>
    /// The primary binds the public port once and every worker accepts from the listening socket it
    /// inherits: one accept queue, as in gunicorn and Puma, so a stopping worker strands no connection.
    /// </summary>
    Shared,
}

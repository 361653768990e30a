using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Primary.Configuration;

/// <summary>The configured <see cref="ClusterListenerMode"/> of the primary, and how it explains it at start.</summary>
public static class ListenerModes
{
    /// <summary>The mode of validated options.</summary>
    public static ClusterListenerMode Resolve(this ClusterOptions options) =>
        ClusterListenerModes.TryParse(options.Mode, out var mode) ? mode : throw new InvalidOperationException($"Cluster:Mode must be {ClusterListenerModes.AcceptedValues}.");

    /// <summary>Why this mode: chosen by the user or the platform default, and what it means.</summary>
    public static string Describe(ClusterListenerMode mode, string? configured)
    {
        var origin = string.IsNullOrWhiteSpace(configured) ? "the default on this platform" : "set by Cluster:Mode";
        return mode switch
        {
            ClusterListenerMode.ReusePort => origin + ": every worker binds the port with SO_REUSEPORT and the kernel spreads connections",
            ClusterListenerMode.Shared => origin + ": the primary binds the port once and the workers accept from the socket they inherit (one queue)",
            _ => origin + ": the primary serves the port with YARP and forwards to ready workers on loopback",
        };
    }
}

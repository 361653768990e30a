using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Primary.Configuration;

/// <summary>Names, parsing and platform default of <see cref="ClusterListenerMode"/>.</summary>
public static class ListenerModes
{
    /// <summary>The accepted spellings of <c>Cluster:Mode</c>.</summary>
    public const string AcceptedValues = "reuseport, shared or proxy";

    /// <summary>The mode used when none is set: reuseport where the kernel balances it (Linux), proxy elsewhere.</summary>
    public static ClusterListenerMode Default => ReusePortListenSocket.IsSupported ? ClusterListenerMode.ReusePort : ClusterListenerMode.Proxy;

    /// <summary>Parses a configured mode; <see langword="null"/> or empty means <see cref="Default"/>.</summary>
    public static bool TryParse(string? value, out ClusterListenerMode mode)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "":
                mode = Default;
                return true;
            case "reuseport":
                mode = ClusterListenerMode.ReusePort;
                return true;
            case "proxy":
                mode = ClusterListenerMode.Proxy;
                return true;
            case "shared":
                mode = ClusterListenerMode.Shared;
                return true;
            default:
                mode = default;
                return false;
        }
    }

    /// <summary>The configuration spelling of a mode.</summary>
    public static string Name(ClusterListenerMode mode) => mode switch
    {
        ClusterListenerMode.Proxy => "proxy",
        ClusterListenerMode.Shared => "shared",
        _ => "reuseport",
    };

    /// <summary>The mode of validated options.</summary>
    public static ClusterListenerMode Resolve(this ClusterOptions options) =>
        TryParse(options.Mode, out var mode) ? mode : throw new InvalidOperationException($"Cluster:Mode must be {AcceptedValues}.");

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

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// The spellings of <see cref="ClusterListenerMode"/> in settings and in the <see cref="ClusterEnvironment.Mode"/>
/// variable: one place for the primary that writes them and the workers that read them.
/// </summary>
public static class ClusterListenerModes
{
    /// <summary>The accepted spellings, for error messages.</summary>
    public const string AcceptedValues = "reuseport, shared or proxy";

    /// <summary>The mode used when none is set: reuseport where the kernel balances it (Linux), proxy elsewhere.</summary>
    public static ClusterListenerMode Default => ReusePortListenSocket.IsSupported ? ClusterListenerMode.ReusePort : ClusterListenerMode.Proxy;

    /// <summary>Parses a mode; <see langword="null"/> or empty means <see cref="Default"/>.</summary>
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
            case "shared":
                mode = ClusterListenerMode.Shared;
                return true;
            case "proxy":
                mode = ClusterListenerMode.Proxy;
                return true;
            default:
                mode = default;
                return false;
        }
    }

    /// <summary>The spelling of a mode.</summary>
    public static string Name(ClusterListenerMode mode) => mode switch
    {
        ClusterListenerMode.Proxy => "proxy",
        ClusterListenerMode.Shared => "shared",
        _ => "reuseport",
    };
}

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// Marks connections accepted on the worker's private management socket, so management
/// endpoints answer only there and public requests are never mistaken for probes.
/// </summary>
internal sealed class ManagementConnectionFeature
{
    public static readonly ManagementConnectionFeature Instance = new();

    private ManagementConnectionFeature()
    {
    }
}

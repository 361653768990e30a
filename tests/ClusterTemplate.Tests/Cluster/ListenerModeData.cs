namespace ClusterTemplate.Tests.Cluster;

/// <summary>Every listener mode, for the process tests that must hold in each of them.</summary>
public static class ListenerModeData
{
    public static TheoryData<string> All => ["reuseport", "shared", "proxy"];
}

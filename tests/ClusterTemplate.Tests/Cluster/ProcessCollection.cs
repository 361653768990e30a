namespace ClusterTemplate.Tests.Cluster;

/// <summary>Tests that run real primaries and workers go one at a time: two cores do not take more without skewing timings.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "Processes";
}

using Microsoft.Extensions.DependencyInjection;

namespace ClusterTemplate.AppHost.Tests.Hosting;

/// <summary>The AppHost's cluster is a resource of its own type: a project that Aspire runs as any other, with the cluster's settings.</summary>
public sealed class ClusterResourceTests
{
    [Fact]
    public async Task The_AppHost_models_the_primary_as_a_typed_cluster_project()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ClusterTemplate_AppHost>(
            ["--Cluster:Workers=3", "--Cluster:Port=18123", "--Cluster:Mode=Proxy"],
            budget.Token);
        await using var app = await builder.BuildAsync(budget.Token);

        var cluster = Assert.Single(app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ClusterResource>());
        Assert.Equal("cluster", cluster.Name);
        Assert.Equal(3, cluster.Workers);
        Assert.Equal(18123, cluster.Port);
        Assert.Equal(ClusterMode.Proxy, cluster.Mode);

        // Run as a project: its metadata is the primary's project, its public endpoint the cluster's port.
        Assert.EndsWith("ClusterTemplate.Primary.csproj", Assert.Single(cluster.Annotations.OfType<IProjectMetadata>()).ProjectPath, StringComparison.Ordinal);
        var endpoint = Assert.Single(cluster.Annotations.OfType<EndpointAnnotation>(), e => e.Name == ClusterResourceBuilderExtensions.PublicEndpointName);
        Assert.Equal(18123, endpoint.Port);
        Assert.False(endpoint.IsProxied);
    }
}

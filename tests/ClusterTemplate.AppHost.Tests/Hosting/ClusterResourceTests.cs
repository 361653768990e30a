using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

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

    [Fact]
    public async Task The_AppHost_resolves_a_relative_certificate_path_against_its_own_folder_and_serves_https()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ClusterTemplate_AppHost>(
            ["--Cluster:Port=18124", "--Kestrel:Certificates:Default:Path=../certs/cluster.pem", "--Kestrel:Certificates:Default:KeyPath=../certs/cluster.key"],
            budget.Token);
        await using var app = await builder.BuildAsync(budget.Token);

        var cluster = Assert.Single(app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ClusterResource>());
        var configuration = await ExecutionConfigurationBuilder.Create(cluster)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), NullLogger.Instance, budget.Token);

        // As `dotnet new clustertemplate --https` writes them in AppHost/appsettings.json: the app's certs/, whatever the current folder.
        var certs = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "certs"));
        Assert.Contains(KeyValuePair.Create("Kestrel__Certificates__Default__Path", Path.Combine(certs, "cluster.pem")), configuration.EnvironmentVariables);
        Assert.Contains(KeyValuePair.Create("Kestrel__Certificates__Default__KeyPath", Path.Combine(certs, "cluster.key")), configuration.EnvironmentVariables);
        Assert.Equal("https", Assert.Single(cluster.Annotations.OfType<EndpointAnnotation>(), e => e.Name == ClusterResourceBuilderExtensions.PublicEndpointName).UriScheme);
    }
}

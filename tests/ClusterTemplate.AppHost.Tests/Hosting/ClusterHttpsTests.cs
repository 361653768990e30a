using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterTemplate.AppHost.Tests.Hosting;

/// <summary>A cluster given a certificate shows an https public endpoint and hands the primary Kestrel's default certificate settings.</summary>
public sealed class ClusterHttpsTests
{
    [Fact]
    public async Task A_certificate_makes_the_public_endpoint_https_and_reaches_the_primary_as_kestrels_default()
    {
        var builder = DistributedApplication.CreateBuilder();
        var password = builder.AddParameter("certificate-password", "s3cret", secret: true);
        var primary = builder.AddCluster<Projects.ClusterTemplate_Primary>("cluster").WithHttpsCertificate("/etc/site/site.crt", "/etc/site/site.key", password);

        var configuration = await ExecutionConfigurationBuilder.Create(primary.Resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), NullLogger.Instance, CancellationToken.None);
        var endpoint = primary.Resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == ClusterResourceBuilderExtensions.PublicEndpointName);

        Assert.Equal("https", endpoint.UriScheme);
        Assert.Contains(KeyValuePair.Create("Kestrel__Certificates__Default__Path", "/etc/site/site.crt"), configuration.EnvironmentVariables);
        Assert.Contains(KeyValuePair.Create("Kestrel__Certificates__Default__KeyPath", "/etc/site/site.key"), configuration.EnvironmentVariables);
        Assert.Contains(KeyValuePair.Create("Kestrel__Certificates__Default__Password", "s3cret"), configuration.EnvironmentVariables);
    }

    [Fact]
    public void Without_a_certificate_the_public_endpoint_stays_http()
    {
        var builder = DistributedApplication.CreateBuilder();
        var primary = builder.AddCluster<Projects.ClusterTemplate_Primary>("cluster");

        Assert.Equal("http", primary.Resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == ClusterResourceBuilderExtensions.PublicEndpointName).UriScheme);
    }
}

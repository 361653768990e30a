using ClusterTemplate.Primary.Configuration;

namespace ClusterTemplate.Tests.Configuration;

/// <summary>What <c>Cluster:HealthEndpoint</c> accepts.</summary>
[Trait("Category", "Unit")]
public sealed class HealthEndpointAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8081", "127.0.0.1", 8081)]
    [InlineData("http://*:8081", "*", 8081)]
    [InlineData("http://+:8081/", "*", 8081)]
    [InlineData("http://localhost:8081", "localhost", 8081)]
    [InlineData("http://[::1]:8081", "[::1]", 8081)]
    [InlineData("HTTP://0.0.0.0:65535", "0.0.0.0", 65535)]
    public void Reads_an_http_address_with_a_port(string value, string host, int port) =>
        Assert.Equal(new HealthEndpointAddress(host, port), HealthEndpointAddress.Parse(value));

    [Theory]
    [InlineData("https://127.0.0.1:8081")]
    [InlineData("http://127.0.0.1:8081/healthz")]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://127.0.0.1:65536")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://example.com:8081")]
    [InlineData("8081")]
    [InlineData("")]
    public void Refuses_anything_else(string value) => Assert.Null(HealthEndpointAddress.Parse(value));

    [Fact]
    public void Is_valid_unset_or_on_a_port_other_than_the_public_one()
    {
        Assert.True(HealthEndpointAddress.IsValid(null, 8080));
        Assert.True(HealthEndpointAddress.IsValid("http://*:8081", 8080));
        Assert.False(HealthEndpointAddress.IsValid("http://*:8080", 8080));
    }
}

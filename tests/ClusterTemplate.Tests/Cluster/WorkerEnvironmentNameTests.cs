using System.Net;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// Workers run in Development (public <c>/health</c>, the developer exception page with the request's headers)
/// only when the settings ask for it by name, as the AppHost does; never because the primary itself runs in
/// Development, as <c>dotnet run --project Primary</c> makes it through its launch profile.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class WorkerEnvironmentNameTests(ITestOutputHelper output)
{
    private const string SecretHeader = "X-Test-Secret";
    private const string SecretValue = "s3cret-header-value";

    private static readonly HttpClient s_client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData(null, null, false)] // the production path: out/ClusterTemplate.Primary, nothing set
    [InlineData("Development", null, false)] // dotnet run --project Primary
    [InlineData("Development", "Development", true)] // asked for by name, as the AppHost does
    public async Task Workers_show_health_and_the_developer_page_only_when_asked_for_Development(string? primaryEnvironment, string? workerEnvironment, bool development)
    {
        var environment = new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = primaryEnvironment, ["DOTNET_ENVIRONMENT"] = primaryEnvironment };
        string[] args = workerEnvironment is null ? [] : ["--Cluster:Environment:ASPNETCORE_ENVIRONMENT=" + workerEnvironment];
        await using var primary = PrimaryProcess.Start(output, environment, workers: 1, "reuseport", args);
        await primary.WaitForRunningAsync(1);

        using var health = await s_client.GetAsync(new Uri(primary.BaseAddress, "/health"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(primary.BaseAddress, "/fault/throw")) { Headers = { { SecretHeader, SecretValue } } };
        using var fault = await s_client.SendAsync(request);
        var faultBody = await fault.Content.ReadAsStringAsync();

        Assert.Equal(development ? HttpStatusCode.OK : HttpStatusCode.NotFound, health.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, fault.StatusCode);
        Assert.Equal(development, faultBody.Contains("fault injection: an unhandled exception", StringComparison.Ordinal));
        Assert.Equal(development, faultBody.Contains(SecretValue, StringComparison.Ordinal));
    }
}

using System.Net;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>What the primary's own front end answers in proxy mode when it has nowhere to send a request.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class ProxyModeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task While_no_worker_is_ready_the_proxy_answers_503_with_retry_after()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "proxy", "--Cluster:Environment:CLUSTER_FAULT_UNREADY_FROM_GENERATION=1");

        // The control socket answers once Kestrel listens, on the public port too.
        await primary.WaitForWorkersAsync(workers => workers.Count == 1 && workers[0].ProcessId > 0);
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(primary.BaseAddress, "/"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("No worker is ready yet; retry shortly.", (await response.Content.ReadAsStringAsync()).Trim());
    }
}

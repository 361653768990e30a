using System.Net;
using System.Net.WebSockets;
using System.Text;
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

    [Fact]
    public async Task The_primary_says_where_each_worker_serves_it_not_a_port_0()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "proxy");
        var worker = (await primary.WaitForRunningAsync(1))[0];

        await primary.WaitForOutputAsync(
            $"Worker 1 (pid {worker.ProcessId}) listening on {Path.Combine(primary.RuntimeDirectory, $"worker-1-{worker.Generation}.http.sock")}", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(primary.Output, line => line.Contains("listening on port 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_WebSocket_is_carried_through_to_the_worker_and_back()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "proxy");
        await primary.WaitForRunningAsync(1);
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{primary.Port}/fault/echo-socket"), timeout.Token);
        await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);

        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
    }

    [Fact]
    public async Task The_worker_gets_the_proxied_request_over_HTTP_2()
    {
        var seen = await RequestAsTheWorkerSeesItAsync();

        Assert.EndsWith("protocol: HTTP/2", seen);
    }

    [Fact]
    public async Task The_worker_sees_the_Host_the_client_sent()
    {
        var seen = await RequestAsTheWorkerSeesItAsync(host: "shop.example:8443");

        Assert.Contains("Host: shop.example:8443", seen.Split('\n'));
    }

    [Fact]
    public async Task Without_a_trace_exporter_the_proxy_sends_the_worker_no_trace_header()
    {
        var seen = await RequestAsTheWorkerSeesItAsync();

        Assert.Contains("X-Forwarded-For:", seen, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("traceparent:", seen, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_a_trace_exporter_the_proxy_passes_its_trace_on_to_the_worker()
    {
        // Nothing listens there: the spans are lost, the propagation is what is looked at.
        var seen = await RequestAsTheWorkerSeesItAsync(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" });

        Assert.Contains("traceparent:", seen, StringComparison.OrdinalIgnoreCase);
    }

    // A one-worker proxy cluster (with the primary's extra environment), one GET /fault/request through it (with a Host
    // of the client's own when given): the worker's answer, its request's headers and protocol as it received them.
    private async Task<string> RequestAsTheWorkerSeesItAsync(IReadOnlyDictionary<string, string?>? environment = null, string? host = null)
    {
        await using var primary = PrimaryProcess.Start(output, environment ?? new Dictionary<string, string?>(), workers: 1, "proxy");
        await primary.WaitForRunningAsync(1);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(primary.BaseAddress, "/fault/request"));
        request.Headers.Host = host;

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}

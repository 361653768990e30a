using System.Globalization;
using System.Net;
using System.Text.Json;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Shared.Control;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>The primary's <c>/healthz</c> and <c>/readyz</c>, on its control socket and on <c>--health-endpoint</c>.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class ProbeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_probeBudget = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_exitBudget = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("reuseport")]
    [InlineData("proxy")]
    public async Task Probes_answer_with_json_on_the_control_socket_and_the_health_endpoint_only(string mode)
    {
        var healthPort = FreePort.Next();
        await using var primary = PrimaryProcess.Start(output, workers: 2, mode, "--health-endpoint", $"http://127.0.0.1:{healthPort}");
        await primary.WaitForRunningAsync(2);
        using var control = UnixDomainSocketHttp.CreateClient(ControlSocket.PathIn(primary.RuntimeDirectory));
        using var tcp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}") };

        foreach (var client in new[] { control, tcp })
        {
            var (liveStatus, live) = await ProbeAsync(client, ControlRoutes.Liveness);
            Assert.Equal((HttpStatusCode.OK, "Healthy"), (liveStatus, live.GetProperty("status").GetString()));

            var (readyStatus, ready) = await ProbeAsync(client, ControlRoutes.Readiness);
            Assert.Equal(HttpStatusCode.OK, readyStatus);
            Assert.Equal((2, 2, 1, false), Counts(ready));
        }

        // The health endpoint serves the probes and nothing else: no control API on TCP.
        using (var status = await tcp.GetAsync(ControlRoutes.Status))
        {
            Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        }

        using (var root = await tcp.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        }

        // The public port is the app's, in every mode: a worker answers there, and this app maps no /healthz.
        var answer = await PublicClient.GetAsync(primary.BaseAddress, ControlRoutes.Liveness);
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.NotEqual(0, answer.ProcessId);
    }

    [Fact]
    public async Task Readyz_fails_while_fewer_workers_than_MinReadyWorkers_are_ready()
    {
        var healthPort = FreePort.Next();
        await using var primary = PrimaryProcess.Start(
            output, workers: 2, "reuseport", "--health-endpoint", $"http://127.0.0.1:{healthPort}", "--Cluster:Health:MinReadyWorkers=2",
            "--Cluster:Environment:CLUSTER_FAULT_UNREADY_FROM_GENERATION=2");
        var workers = await primary.WaitForRunningAsync(2);
        using var tcp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}") };
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(tcp, ControlRoutes.Readiness)).Status);

        // Worker 1 dies; its replacement never gets ready.
        Assert.True(UnixSignals.Send(workers.Single(w => w.WorkerId == 1).ProcessId, 9));

        var (status, body) = await WaitForProbeAsync(tcp, ControlRoutes.Readiness, probe => probe.Status != HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal((1, 2, 2, false), Counts(body));
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());

        // Liveness is the primary's, not the workers': it holds.
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(tcp, ControlRoutes.Liveness)).Status);
    }

    [Fact]
    public async Task Readyz_fails_at_once_on_SIGTERM_while_the_workers_still_drain()
    {
        var healthPort = FreePort.Next();
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport", "--health-endpoint", $"http://127.0.0.1:{healthPort}");
        await primary.WaitForRunningAsync(1);
        using var tcp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}") };
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(tcp, ControlRoutes.Readiness)).Status);

        var slow = PublicClient.GetAsync(primary.BaseAddress, "/fault/slow?ms=3000");
        await primary.WaitForOutputAsync("Slow request started", TimeSpan.FromSeconds(10));
        primary.Signal(UnixSignals.SigTerm);

        var (status, body) = await WaitForProbeAsync(tcp, ControlRoutes.Readiness, probe => probe.Status != HttpStatusCode.OK);
        Assert.False(slow.IsCompleted, "readiness should fail while the slow request still drains");
        Assert.False(primary.Process.HasExited);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.True(body.GetProperty("stopping").GetBoolean());

        var answer = await slow.WaitAsync(s_exitBudget);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        await primary.Process.WaitForExitAsync().WaitAsync(s_exitBudget);
        Assert.Equal(0, primary.Process.ExitCode);
    }

    [Fact]
    public async Task With_a_shutdown_delay_the_workers_still_take_new_connections_after_readyz_fails_then_drain()
    {
        var healthPort = FreePort.Next();
        await using var primary = PrimaryProcess.Start(
            output, workers: 1, "reuseport", "--health-endpoint", $"http://127.0.0.1:{healthPort}", "--shutdown-delay", "00:00:20");
        var worker = (await primary.WaitForRunningAsync(1)).Single();
        using var tcp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}") };

        primary.Signal(UnixSignals.SigTerm);
        var (status, body) = await WaitForProbeAsync(tcp, ControlRoutes.Readiness, probe => probe.Status != HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.True(body.GetProperty("stopping").GetBoolean());

        // A load balancer that has not yet read that 503 still sends new connections: the worker that was there takes them.
        for (var i = 0; i < 5; i++)
        {
            var answer = await PublicClient.GetAsync(primary.BaseAddress);
            Assert.Equal((HttpStatusCode.OK, worker.ProcessId), (answer.Status, answer.ProcessId));
        }

        Assert.False(primary.Process.HasExited);

        // A second SIGTERM (an impatient operator) ends the delay: the drain starts and the primary exits cleanly.
        primary.Signal(UnixSignals.SigTerm);
        await primary.WaitForOutputAsync("Shutdown delay cut short", s_exitBudget);
        await primary.Process.WaitForExitAsync().WaitAsync(s_exitBudget);
        Assert.Equal(0, primary.Process.ExitCode);
        Assert.False(PrimaryProcess.IsAlive(worker.ProcessId));
    }

    [Theory]
    [InlineData("00:05:01")]
    [InlineData("-00:00:01")]
    [InlineData("soon")]
    public async Task A_bad_shutdown_delay_exits_2_with_one_line(string delay)
    {
        var (exitCode, _, error) = await PrimaryProcess.RunToExitAsync("--shutdown-delay", delay);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Cluster:ShutdownDelay", line);
        Assert.Contains("00:00:00 to 00:05:00", line);
    }

    [Theory]
    [InlineData("https://127.0.0.1:{0}")]
    [InlineData("http://127.0.0.1:{0}/probes")]
    [InlineData("http://127.0.0.1:70000")]
    [InlineData("http://127.0.0.1")]
    [InlineData("{0}")]
    [InlineData("http://example.com:{0}")]
    [InlineData("http://*:{1}")]
    public async Task A_bad_health_endpoint_exits_2_with_one_line(string format)
    {
        // {0}: a free port; {1}: the public port.
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var value = string.Format(CultureInfo.InvariantCulture, format, FreePort.Next(), port);

        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync("--port", port, "--health-endpoint", value);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"error: Cluster:HealthEndpoint must be an http:// address with an IP address, localhost or * and a port other than Cluster:Port, and no path, such as http://127.0.0.1:8081 or http://*:8081 (got '{value}').",
            stderr.Trim());
    }

    [Fact]
    public async Task A_health_endpoint_on_a_taken_port_exits_2_with_one_line()
    {
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync(
            "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture), "--health-endpoint", $"http://127.0.0.1:{taken}");

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: Cluster:HealthEndpoint port {taken} is already taken by another program; choose a free port or stop that program.", stderr.Trim());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task MinReadyWorkers_outside_1_to_Workers_exits_2_with_one_line(int minReady)
    {
        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync(
            "--workers", "2", "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture), $"--Cluster:Health:MinReadyWorkers={minReady}");

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: Cluster:Health:MinReadyWorkers must be a whole number in 1..Cluster:Workers (got '{minReady}').", stderr.Trim());
    }

    private static (int Ready, int Total, int MinReady, bool Stopping) Counts(JsonElement body) =>
        (body.GetProperty("ready").GetInt32(), body.GetProperty("total").GetInt32(), body.GetProperty("minReady").GetInt32(), body.GetProperty("stopping").GetBoolean());

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ProbeAsync(HttpClient client, string path, CancellationToken cancellationToken = default)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return (response.StatusCode, body.RootElement.Clone());
    }

    /// <summary>Probes until <paramref name="condition"/> holds, within <see cref="s_probeBudget"/>.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> WaitForProbeAsync(
        HttpClient client, string path, Func<(HttpStatusCode Status, JsonElement Body), bool> condition)
    {
        using var timeout = new CancellationTokenSource(s_probeBudget);
        while (true)
        {
            var probe = await ProbeAsync(client, path, timeout.Token);
            if (condition(probe))
            {
                return probe;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}

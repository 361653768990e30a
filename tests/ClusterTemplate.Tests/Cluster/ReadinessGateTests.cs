using System.Net;
using System.Text.RegularExpressions;
using ClusterTemplate.Shared.Control;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>A worker takes public connections only once it is ready, in every listener mode.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed partial class ReadinessGateTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task A_worker_that_never_becomes_ready_serves_no_public_request(string mode)
    {
        // Every process of generation 2 or later fails its readiness checks, and gets 8 s to pass them.
        await using var primary = PrimaryProcess.Start(
            output, workers: 1, mode, "--Cluster:Environment:CLUSTER_FAULT_UNREADY_FROM_GENERATION=2", "--Cluster:Health:StartupTimeout=00:00:08");
        var old = (await primary.WaitForRunningAsync(1)).Single();

        var restart = primary.PostAsync(ControlRoutes.RestartWorkerWithId(1));
        await primary.WaitForOutputAsync("generation 2)", s_budget);
        var replacement = int.Parse(StartedGeneration2().Match(string.Join('\n', primary.Output)).Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);

        // The replacement's host is up (its management socket listens) but its readiness checks fail.
        await primary.WaitForOutputAsync($"[worker 1 pid {replacement}] ", s_budget);
        await primary.WaitForOutputAsync("worker-1-2.sock", s_budget);

        var answeredBy = new Dictionary<int, int>();
        for (var i = 0; i < 200; i++)
        {
            var answer = await PublicClient.GetAsync(primary.BaseAddress);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            answeredBy[answer.ProcessId] = answeredBy.GetValueOrDefault(answer.ProcessId) + 1;
        }

        output.WriteLine($"mode {mode}: answered by {string.Join(", ", answeredBy.Select(p => $"pid {p.Key}: {p.Value}"))}; replacement pid {replacement}");
        Assert.Equal(0, answeredBy.GetValueOrDefault(replacement));
        Assert.Equal(200, answeredBy.GetValueOrDefault(old.ProcessId));

        var result = await restart.WaitAsync(s_budget);
        Assert.False(result.Succeeded);
        Assert.Contains("not ready", result.Message);
    }

    [GeneratedRegex(@"Worker 1 started \(pid (?<pid>\d+), generation 2\)")]
    private static partial Regex StartedGeneration2();
}

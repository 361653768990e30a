using ClusterTemplate.Shared.Control;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>The workers' output on the control socket, which the AppHost reads instead of the primary's echo.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class WorkerOutputStreamTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task With_the_echo_off_worker_lines_come_from_the_control_socket_only_and_resume_after_the_last_read()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, "reuseport", "--Cluster:EchoWorkerOutput=false");
        var workers = await primary.WaitForRunningAsync(2);
        using var budget = new CancellationTokenSource(s_budget);

        var lines = await primary.ReadWorkerOutputAsync(
            after: 0,
            read => workers.All(w => read.Any(line => line.ProcessId == w.ProcessId && line.WorkerId == w.WorkerId && line.Text.Contains("Now listening on", StringComparison.Ordinal))),
            budget.Token);

        Assert.Equal(Enumerable.Range(1, lines.Count).Select(n => (long)n), lines.Select(line => line.Sequence));
        Assert.DoesNotContain(primary.Output, line => WorkerOutputPrefix.TryParse(line, out _, out _));

        var resumed = await primary.ReadWorkerOutputAsync(after: lines[^2].Sequence, read => read.Count > 0, budget.Token);
        Assert.Equal(lines[^1], resumed[0]);
    }
}

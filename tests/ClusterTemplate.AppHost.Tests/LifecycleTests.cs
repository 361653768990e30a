using System.Diagnostics;
using ClusterTemplate.AppHost.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.AppHost.Tests;

/// <summary>The cluster among other resources and across stops: waited for, stopped with the AppHost, stopped on its own.</summary>
public sealed class LifecycleTests
{
    private const int Workers = 2;

    // The test AppHost's Cluster__DrainTimeout (3 s), plus 5 s for the primary, dotnet run and DCP to see the exit: far
    // below the 30 s a default drain or a hung stop would take. CI saw 5.8 s with 2 s of slack on a loaded machine.
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(3 + 5);

    [Fact]
    public async Task A_resource_that_waits_for_the_cluster_starts_once_the_cluster_serves()
    {
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);
        await using var cluster = await ClusterAppHost.StartAsync(
            Workers,
            configureApp: (builder, primary) => builder.AddExecutable("client", "sleep", ".", "600").WithReference(primary).WaitFor(primary),
            startup: TestBudgets.Recovery);

        var client = await cluster.App.ResourceNotifications.WaitForResourceAsync("client", e => e.Snapshot.State?.Text == KnownResourceStates.Running, budget.Token);
        Assert.Equal(KnownResourceStates.Running, client.Snapshot.State?.Text);
    }

    [Fact]
    public async Task Stopping_the_AppHost_stops_the_primary_and_every_worker_within_the_drain_timeout()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        var primary = cluster.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ClusterResource>().Single().Settings;
        var pids = new List<int> { primary.LatestStatus!.ProcessId };
        pids.AddRange(Enumerable.Range(1, Workers).Select(id => ClusterAppHost.Pid(cluster.Row(id))));

        var clock = Stopwatch.StartNew();
        await cluster.App.StopAsync().WaitAsync(TestBudgets.Cleanup);
        while (pids.Any(OwnedProcesses.IsAlive) && clock.Elapsed < TestBudgets.Cleanup)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        Assert.DoesNotContain(pids, OwnedProcesses.IsAlive);
        Assert.True(clock.Elapsed < StopBudget, $"The primary and its workers took {clock.Elapsed} to stop with the AppHost (budget {StopBudget}).");
    }

    [Fact]
    public async Task A_stopped_primary_drains_its_workers_and_exits_0()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var exited = cluster.App.ResourceNotifications.WaitForResourceAsync(
            ClusterAppHost.PrimaryName,
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text) && e.Snapshot.ExitCode is not null,
            budget.Token);
        var clock = Stopwatch.StartNew();
        var result = await cluster.App.ResourceCommands.ExecuteCommandAsync(ClusterAppHost.PrimaryName, KnownResourceCommands.StopCommand, budget.Token);
        Assert.True(result.Success, result.Message);
        var primary = await exited;
        clock.Stop();

        // DCP runs the primary as `dotnet run`, whose exit code is the primary's.
        Assert.Equal(0, primary.Snapshot.ExitCode);
        Assert.True(clock.Elapsed < StopBudget, $"The primary took {clock.Elapsed} to stop (budget {StopBudget}).");
    }

    [Fact]
    public async Task Worker_rows_finish_at_once_when_the_primary_stops_and_nothing_warns()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var primaryExited = cluster.App.ResourceNotifications.WaitForResourceAsync(
            ClusterAppHost.PrimaryName,
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text),
            budget.Token);
        var rowsFinished = Enumerable.Range(1, Workers)
            .Select(id => cluster.WaitForRowAsync(id, row => row.State?.Text == KnownResourceStates.Exited, budget.Token))
            .ToArray();

        var result = await cluster.App.ResourceCommands.ExecuteCommandAsync(ClusterAppHost.PrimaryName, KnownResourceCommands.StopCommand, budget.Token);
        Assert.True(result.Success, result.Message);

        await primaryExited;
        var rows = await Task.WhenAll(rowsFinished).WaitAsync(TimeSpan.FromSeconds(1), budget.Token);
        Assert.All(rows, row => Assert.Equal(KnownResourceStates.Exited, row.State?.Text));

        // The rows stay finished: no later "Unknown" from a monitor that still looks for the primary.
        await Task.Delay(TimeSpan.FromSeconds(3), budget.Token);
        Assert.All(Enumerable.Range(1, Workers), id => Assert.Equal(KnownResourceStates.Exited, cluster.Row(id).State?.Text));
        Assert.DoesNotContain(cluster.Logs.Entries, entry => entry.Level >= LogLevel.Warning && entry.Message.Contains("Lost cluster", StringComparison.Ordinal));
    }
}

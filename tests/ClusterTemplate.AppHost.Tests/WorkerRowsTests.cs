using ClusterTemplate.AppHost.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterTemplate.AppHost.Tests;

/// <summary>The worker rows follow what really happens to the workers: start, crash, restart command, scale.</summary>
public sealed class WorkerRowsTests
{
    private const int Workers = 2;

    [Theory]
    [InlineData(ClusterMode.Default)]
    [InlineData(ClusterMode.Shared)]
    [InlineData(ClusterMode.Proxy)]
    public async Task Every_worker_row_runs_healthy_and_fresh_connections_reach_each_worker(ClusterMode mode)
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers, primary => primary.WithMode(mode));
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var rows = Enumerable.Range(1, Workers).Select(cluster.Row).ToArray();
        var rowPids = rows.Select(ClusterAppHost.Pid).ToHashSet();
        Assert.Equal(Workers, rowPids.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(ClusterWorkerResource.ResourceTypeName, row.ResourceType);
            Assert.Equal(1, ClusterAppHost.Property<int>(row, ClusterWorkerProperties.Generation));
            Assert.Equal(0, ClusterAppHost.Property<int>(row, ClusterWorkerProperties.Restarts));
            Assert.Equal("healthy", ClusterAppHost.Property<string>(row, ClusterWorkerProperties.Health));
            Assert.Contains(row.Relationships, r => r.ResourceName == ClusterAppHost.PrimaryName && r.Type == "Parent");
        });

        var served = await cluster.DistinctPidsAsync(Workers, budget.Token);
        Assert.Equal(rowPids, served);

        // The primary's own health is the workers' health.
        await cluster.App.ResourceNotifications.WaitForResourceHealthyAsync(ClusterAppHost.PrimaryName, budget.Token);

        // Each row has its worker's console output.
        var logs = cluster.App.Services.GetRequiredService<ResourceLoggerService>();
        await foreach (var batch in logs.WatchAsync(ClusterAppHost.WorkerRow(1)).WithCancellation(budget.Token))
        {
            if (batch.Any(line => line.Content.Contains("Now listening on", StringComparison.Ordinal)))
            {
                break;
            }
        }
    }

    [Fact]
    public async Task A_killed_worker_shows_its_exit_then_its_replacement_with_one_restart()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var victim = ClusterAppHost.Pid(cluster.Row(1));
        var bystander = ClusterAppHost.Pid(cluster.Row(2));
        var exitSeen = cluster.WaitForRowAsync(1, row => row.State?.Text == KnownResourceStates.Exited && row.ExitCode is not null, budget.Token);

        System.Diagnostics.Process.GetProcessById(victim).Kill();

        var exited = await exitSeen;
        Assert.Equal(137, exited.ExitCode);
        Assert.Contains("SIGKILL", ClusterAppHost.Property<string>(exited, ClusterWorkerProperties.LastExitReason));

        var replaced = await cluster.WaitForRowAsync(1, row => ClusterAppHost.IsServing(row) && ClusterAppHost.Pid(row) != victim, budget.Token);
        Assert.Equal(1, ClusterAppHost.Property<int>(replaced, ClusterWorkerProperties.Restarts));
        Assert.Equal(2, ClusterAppHost.Property<int>(replaced, ClusterWorkerProperties.Generation));
        Assert.Contains("SIGKILL", ClusterAppHost.Property<string>(replaced, ClusterWorkerProperties.LastExitReason));
        Assert.Equal(bystander, ClusterAppHost.Pid(cluster.Row(2)));

        var served = await cluster.DistinctPidsAsync(Workers, budget.Token);
        Assert.Equal(new HashSet<int> { ClusterAppHost.Pid(replaced), bystander }, served);
    }

    [Fact]
    public async Task A_hung_worker_is_replaced_by_the_health_probe_and_its_row_says_why()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers, primary => primary
            .WithWorkerEnvironment("CLUSTER_FAULT_INJECTION", "true")
            .WithEnvironment("Cluster__Health__Interval", "00:00:00.500")
            .WithEnvironment("Cluster__Health__Timeout", "00:00:00.500")
            .WithEnvironment("Cluster__Health__LivenessTimeout", "00:00:01")
            .WithEnvironment("Cluster__Health__StopGracePeriod", "00:00:01"));
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var before = Enumerable.Range(1, Workers).ToDictionary(id => id, id => ClusterAppHost.Pid(cluster.Row(id)));

        // Whichever worker takes the request hangs; it may or may not get its answer out first.
        int? hungPid = null;
        using (var http = ClusterAppHost.NewClient())
        {
            http.Timeout = TimeSpan.FromSeconds(2);
            using var request = new HttpRequestMessage(HttpMethod.Post, cluster.Url("/fault/hang"));
            request.Headers.ConnectionClose = true;
            try
            {
                using var response = await http.SendAsync(request, budget.Token);
                hungPid = int.Parse(response.Headers.GetValues("X-Cluster-Worker-Pid").First(), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TaskCanceledException) when (!budget.IsCancellationRequested)
            {
            }
        }

        var replacements = Enumerable.Range(1, Workers)
            .Select(id => cluster.WaitForRowAsync(id, row => ClusterAppHost.IsServing(row) && ClusterAppHost.Pid(row) != before[id], budget.Token))
            .ToArray();
        var replaced = await await Task.WhenAny(replacements);
        var hungId = ClusterAppHost.Property<int>(replaced, ClusterWorkerProperties.WorkerId);

        if (hungPid is { } pid)
        {
            Assert.Equal(before[hungId], pid);
        }

        Assert.Equal(1, ClusterAppHost.Property<int>(replaced, ClusterWorkerProperties.Restarts));
        Assert.Contains("liveness probe failed", ClusterAppHost.Property<string>(replaced, ClusterWorkerProperties.LastExitReason));
        foreach (var other in before.Keys.Where(id => id != hungId))
        {
            Assert.Equal(before[other], ClusterAppHost.Pid(cluster.Row(other)));
        }
    }

    [Fact]
    public async Task The_restart_worker_command_replaces_exactly_that_worker()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);
        var before = Enumerable.Range(1, Workers).ToDictionary(id => id, id => ClusterAppHost.Pid(cluster.Row(id)));

        var result = await cluster.App.ResourceCommands.ExecuteCommandAsync(ClusterAppHost.WorkerRow(2), "restart-worker", budget.Token);

        Assert.True(result.Success, result.Message);
        var restarted = await cluster.WaitForRowAsync(2, row => ClusterAppHost.IsServing(row) && ClusterAppHost.Pid(row) != before[2], budget.Token);
        Assert.Equal(2, ClusterAppHost.Property<int>(restarted, ClusterWorkerProperties.Generation));
        Assert.Equal(0, ClusterAppHost.Property<int>(restarted, ClusterWorkerProperties.Restarts));
        Assert.False(OwnedProcesses.IsAlive(before[2]), $"the replaced worker (pid {before[2]}) still runs");

        var untouched = cluster.Row(1);
        Assert.Equal(before[1], ClusterAppHost.Pid(untouched));
        Assert.Equal(1, ClusterAppHost.Property<int>(untouched, ClusterWorkerProperties.Generation));
    }

    [Fact]
    public async Task Rows_follow_scale_up_and_down()
    {
        await using var cluster = await ClusterAppHost.StartAsync(Workers);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var up = await cluster.App.ResourceCommands.ExecuteCommandAsync(
            ClusterAppHost.PrimaryName,
            "scale",
            new InteractionInputCollection([new InteractionInput { Name = "workers", InputType = InputType.Number, Value = "3" }]),
            budget.Token);
        Assert.True(up.Success, up.Message);
        var added = await cluster.WaitForRowAsync(3, ClusterAppHost.IsServing, budget.Token);
        Assert.Equal(3, (await cluster.DistinctPidsAsync(3, budget.Token)).Count);

        var down = await cluster.App.ResourceCommands.ExecuteCommandAsync(ClusterAppHost.PrimaryName, "scale-down", budget.Token);
        Assert.True(down.Success, down.Message);
        await cluster.WaitForRowAsync(3, row => row.IsHidden, budget.Token);
        Assert.True(ClusterAppHost.IsServing(cluster.Row(1)) && ClusterAppHost.IsServing(cluster.Row(2)));
        Assert.False(OwnedProcesses.IsAlive(ClusterAppHost.Pid(added)), "the removed worker still runs");
    }
}

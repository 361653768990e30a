using ClusterTemplate.AppHost.Tests.Infrastructure;

namespace ClusterTemplate.AppHost.Tests;

/// <summary>The cluster among other resources and across stops: waited for, stopped with the AppHost, stopped on its own.</summary>
public sealed class LifecycleTests
{
    private const int Workers = 2;

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
}

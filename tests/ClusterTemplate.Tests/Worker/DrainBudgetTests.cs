using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;

namespace ClusterTemplate.Tests.Worker;

[Trait("Category", "Unit")]
public sealed class DrainBudgetTests
{
    [Fact]
    public void Every_budget_follows_from_the_drain_timeout()
    {
        var budget = new DrainBudget(TimeSpan.FromSeconds(12));

        Assert.Equal(TimeSpan.FromSeconds(1), budget.ConnectionGrace);
        Assert.Equal(TimeSpan.FromSeconds(4), budget.OrphanExitDeadline);
        Assert.Equal(TimeSpan.FromSeconds(11), budget.WorkerShutdownTimeout(budget.ConnectionGrace));
        Assert.Equal(TimeSpan.FromSeconds(27), budget.PrimaryShutdownTimeout(stopGracePeriod: TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_short_drain_timeout_shortens_the_grace_and_the_orphan_deadline()
    {
        var budget = new DrainBudget(TimeSpan.FromSeconds(2));

        Assert.Equal(TimeSpan.FromMilliseconds(500), budget.ConnectionGrace);
        Assert.Equal(TimeSpan.FromSeconds(2), budget.OrphanExitDeadline);
    }

    [Fact]
    public void The_worker_and_the_primary_share_one_default()
    {
        Assert.Equal(DrainBudget.DefaultTimeout, new Primary.Configuration.ClusterOptions().DrainTimeout);
        Assert.Equal(DrainBudget.DefaultTimeout, ClusterWorkerContext.FromEnvironment(name => name == ClusterEnvironment.WorkerId ? "1" : null).DrainTimeout);
    }

    [Fact]
    public void A_worker_refuses_a_listener_mode_it_does_not_know_with_one_line_naming_the_variable()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => WorkerListenerModes.Get("turbo"));

        Assert.Equal("CLUSTER_MODE 'turbo' is not a listener mode this worker knows (reuseport, shared, proxy); build the worker and the primary from the same version.", exception.Message);
    }
}

using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Time.Testing;

namespace ClusterTemplate.Tests.Worker;

[Trait("Category", "Unit")]
public class PublicConnectionDrainTests
{
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Drain_ends_as_soon_as_the_last_open_connection_closes()
    {
        var drain = new PublicConnectionDrain();
        var time = new FakeTimeProvider();
        var first = OpenConnection(drain);
        var second = OpenConnection(drain);

        var draining = drain.DrainAsync(s_grace, time);
        first.Close.SetResult();
        await first.Ended.WaitAsync(s_bound);

        Assert.True(drain.IsDraining);
        Assert.Equal(1, drain.OpenConnections);
        // The drain completes on another thread: give a premature completion 100 ms to show. The grace runs
        // on the fake clock, so a correct drain cannot end in this window.
        Assert.NotSame(draining, await Task.WhenAny(draining, Task.Delay(TimeSpan.FromMilliseconds(100))));

        second.Close.SetResult();
        await draining.WaitAsync(s_bound);
        Assert.Equal(0, drain.OpenConnections);
    }

    [Fact]
    public async Task Drain_gives_up_on_a_connection_that_stays_open_after_the_grace()
    {
        var drain = new PublicConnectionDrain();
        var time = new FakeTimeProvider();
        var idle = OpenConnection(drain);

        var draining = drain.DrainAsync(s_grace, time);
        time.Advance(s_grace - TimeSpan.FromMilliseconds(1));
        Assert.False(draining.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await draining.WaitAsync(s_bound);
        Assert.Equal(1, drain.OpenConnections);
        idle.Close.SetResult();
    }

    [Fact]
    public async Task Drain_without_open_connections_ends_at_once()
    {
        var drain = new PublicConnectionDrain();

        await drain.DrainAsync(s_grace, new FakeTimeProvider()).WaitAsync(s_bound);

        Assert.True(drain.IsDraining);
    }

    [Theory]
    [InlineData("reuseport", 30, 1000)]
    [InlineData("reuseport", 4, 1000)]
    [InlineData("reuseport", 2, 500)]
    [InlineData("shared", 2, 500)]
    [InlineData("proxy", 30, 0)]
    public void Grace_is_a_second_or_a_quarter_of_a_short_drain_timeout_and_nothing_behind_the_proxy(string mode, int drainSeconds, int graceMilliseconds)
    {
        var context = ClusterWorkerContext.FromEnvironment(name => name switch
        {
            ClusterEnvironment.WorkerId => "1",
            ClusterEnvironment.Mode => mode,
            ClusterEnvironment.DrainTimeoutSeconds => drainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        });

        Assert.Equal(TimeSpan.FromMilliseconds(graceMilliseconds), WorkerListenerModes.Get(context.Mode).ConnectionGrace(context.Drain));
    }

    private static (TaskCompletionSource Close, Task Ended) OpenConnection(PublicConnectionDrain drain)
    {
        var close = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = drain.Track(_ => close.Task)(new DefaultConnectionContext());
        return (close, ended);
    }
}

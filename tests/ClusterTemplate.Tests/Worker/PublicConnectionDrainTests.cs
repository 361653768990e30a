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
        await AssertStillDrainingAsync(draining);

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

    [Fact]
    public async Task Drain_waits_for_an_accept_in_flight_and_for_the_connection_it_returns()
    {
        // CI saw it: the listener closed while an accept was in flight, the accept still returned a connection, and the
        // drain, which had counted no connection open, let Kestrel's stop reset it before its request was read.
        var drain = new PublicConnectionDrain();
        var listener = new ManualListener();
        var accepting = drain.AcceptAsync(listener, CancellationToken.None).AsTask();

        var draining = drain.DrainAsync(s_grace, new FakeTimeProvider());
        Assert.Equal(1, drain.AcceptsInFlight);
        await AssertStillDrainingAsync(draining);

        listener.Return(new DefaultConnectionContext());
        var connection = await accepting.WaitAsync(s_bound);
        Assert.NotNull(connection);
        Assert.Equal(0, drain.AcceptsInFlight);
        Assert.Equal(1, drain.OpenConnections);
        await AssertStillDrainingAsync(draining);

        await connection.DisposeAsync();
        await draining.WaitAsync(s_bound);
        Assert.Equal(0, drain.OpenConnections);
    }

    [Fact]
    public async Task Drain_ends_when_the_accept_in_flight_ends_without_a_connection()
    {
        var drain = new PublicConnectionDrain();
        var listener = new ManualListener();
        var accepting = drain.AcceptAsync(listener, CancellationToken.None).AsTask();

        var draining = drain.DrainAsync(s_grace, new FakeTimeProvider());
        await AssertStillDrainingAsync(draining);

        listener.Return(null);
        Assert.Null(await accepting.WaitAsync(s_bound));
        await draining.WaitAsync(s_bound);
        Assert.Equal(0, drain.OpenConnections);
    }

    [Fact]
    public async Task A_connection_counts_once_however_often_Kestrel_disposes_it()
    {
        var drain = new PublicConnectionDrain();
        var listener = new ManualListener();
        var accepting = drain.AcceptAsync(listener, CancellationToken.None).AsTask();
        listener.Return(new DefaultConnectionContext());
        var connection = await accepting.WaitAsync(s_bound);

        await connection!.DisposeAsync();
        await connection.DisposeAsync();

        Assert.Equal(0, drain.OpenConnections);
    }

    [Fact]
    public async Task A_gated_public_listener_counts_its_accepts_once_the_gate_is_open()
    {
        var drain = new PublicConnectionDrain();
        var gate = new PublicListenerGate();
        var listener = new ManualListener();
        var factory = new ReadinessGatedTransportFactory(new ManualListenerFactory(listener), gate, drain);
        var gated = await factory.BindAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));

        var accepting = gated.AcceptAsync().AsTask();
        Assert.Equal(0, drain.AcceptsInFlight);

        await gate.OpenAsync(CancellationToken.None).WaitAsync(s_bound);
        await WaitUntilAsync(() => drain.AcceptsInFlight == 1);
        listener.Return(new DefaultConnectionContext());
        var connection = await accepting.WaitAsync(s_bound);
        Assert.Equal(1, drain.OpenConnections);

        await connection!.DisposeAsync();
        Assert.Equal(0, drain.OpenConnections);
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

    private static async Task AssertStillDrainingAsync(Task draining)
    {
        // The drain completes on another thread: give a premature completion 100 ms to show. The grace runs on the
        // fake clock, so a correct drain cannot end in this window.
        Assert.NotSame(draining, await Task.WhenAny(draining, Task.Delay(TimeSpan.FromMilliseconds(100))));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(s_bound);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), timeout.Token);
        }
    }

    private static (TaskCompletionSource Close, Task Ended) OpenConnection(PublicConnectionDrain drain)
    {
        var close = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = drain.Track(_ => close.Task)(new DefaultConnectionContext());
        return (close, ended);
    }

    /// <summary>A listener whose accepts the test completes by hand: one at a time.</summary>
    private sealed class ManualListener : IConnectionListener
    {
        private TaskCompletionSource<ConnectionContext?> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Net.EndPoint EndPoint { get; } = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0);

        public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) => new(_next.Task);

        public void Return(ConnectionContext? connection)
        {
            var accept = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
            accept.SetResult(connection);
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class ManualListenerFactory(ManualListener listener) : IConnectionListenerFactory
    {
        public ValueTask<IConnectionListener> BindAsync(System.Net.EndPoint endpoint, CancellationToken cancellationToken = default) => new(listener);
    }
}

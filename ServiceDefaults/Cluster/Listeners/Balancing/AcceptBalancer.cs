using System;
using System.Threading;
using System.Threading.Tasks;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners.Balancing;

/// <summary>
/// One worker's side of the shared mode's load-aware accepting. It counts the public connections this worker
/// has open (from accept to close) and publishes the count on the <see cref="AcceptLoadBoard"/>; before the
/// next accept, a worker with <see cref="Slack"/> or more connections above the least loaded other worker yields, so a worker with
/// fewer, woken by the same connection, takes it. Without it, the worker that happens to be awake drains a
/// burst of connections from the one queue before the other wakes, and keep-alive keeps them there.
/// </summary>
/// <remarks>
/// A yield is a bounded wait, never a refusal: it ends when this worker is no longer the busier one, or after
/// <see cref="YieldLimit"/>. A worker yields only to workers whose runtime made progress within
/// <see cref="AliveWithin"/>: each records it with <see cref="Beat"/>, called by the worker's liveness heartbeat
/// (<c>ProgressHeartbeat</c>, a dedicated thread that tells a busy runtime from a hung one), so a hung worker,
/// whose count no longer moves, costs the others at most that long of yielding, not a yield per connection
/// until the primary replaces it.
/// </remarks>
public sealed class AcceptBalancer : IDisposable
{
    /// <summary>
    /// How many more connections than the least loaded live worker a worker must have open before it yields. Short
    /// connections (a request each) come and go in far less than a <see cref="YieldStep"/>: yielding over a difference of
    /// one or two would have the workers take turns waiting while nobody accepts (fresh-connection hello fell from
    /// about 14,000 to 570 requests/s with a slack of 0). A burst of long-lived connections still ends within this of even.
    /// </summary>
    public const int Slack = 4;

    /// <summary>How often a yielding worker looks again whether another worker has caught up.</summary>
    public static readonly TimeSpan YieldStep = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest a busier worker leaves the next connection to the others before it accepts anyway.</summary>
    public static readonly TimeSpan YieldLimit = TimeSpan.FromMilliseconds(10);

    /// <summary>A worker whose last beat is older than this is not yielded to: it is hung, or starved beyond use.</summary>
    public static readonly TimeSpan AliveWithin = TimeSpan.FromSeconds(1);

    private readonly AcceptLoadBoard _board;
    private readonly int _index;
    private readonly int _processId;
    private readonly TimeProvider _time;
    private readonly long _aliveWithinTicks;
    private readonly Lock _publishing = new();
    private int _open;
    private bool _withdrawn = true;

    /// <summary>A balancer for the process <paramref name="processId"/> at <paramref name="index"/> of <paramref name="board"/>.</summary>
    public AcceptBalancer(AcceptLoadBoard board, int index, int processId, TimeProvider time)
    {
        _board = board;
        _index = index;
        _processId = processId;
        _time = time;
        _aliveWithinTicks = (long)(AliveWithin.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>The public connections this worker has open.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Whether another accepting, live worker has at least <see cref="Slack"/> fewer connections open than this one.</summary>
    public bool ShouldYield()
    {
        var fewest = _board.FewestConnectionsOfOthers(_index, _time.GetTimestamp() - _aliveWithinTicks);
        return fewest is { } others && OpenConnections >= others + Slack;
    }

    /// <summary>
    /// Completes when this worker should take the next connection: at once when no live worker has fewer open,
    /// else once one has caught up or <see cref="YieldLimit"/> has passed.
    /// </summary>
    public ValueTask WaitForTurnAsync(CancellationToken cancellationToken) =>
        ShouldYield() ? YieldAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Shows this worker on the board with its current count: called when its listener opens.</summary>
    public void Join()
    {
        lock (_publishing)
        {
            _withdrawn = false;
            _board.Beat(_index, _time.GetTimestamp());
        }

        Publish();
    }

    /// <summary>Records that this worker's runtime made progress: the liveness heartbeat calls it when it beats.</summary>
    public void Beat()
    {
        lock (_publishing)
        {
            if (!_withdrawn)
            {
                _board.Beat(_index, _time.GetTimestamp());
            }
        }
    }

    /// <summary>Counts a connection just accepted, until <see cref="OnClosed"/>.</summary>
    public void OnAccepted()
    {
        Interlocked.Increment(ref _open);
        Publish();
    }

    /// <summary>Uncounts a connection that has ended.</summary>
    public void OnClosed()
    {
        Interlocked.Decrement(ref _open);
        Publish();
    }

    /// <summary>Leaves the board: this worker accepts no more (its listener closed).</summary>
    public void Withdraw()
    {
        lock (_publishing)
        {
            _withdrawn = true;
            _board.Withdraw(_index);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Withdraw();
        _board.Dispose();
    }

    private async ValueTask YieldAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        do
        {
            try
            {
                await Task.Delay(YieldStep, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Kestrel is unbinding: the accept that follows sees the same token and ends the loop its own way.
                return;
            }
        }
        while (_time.GetElapsedTime(started) < YieldLimit && ShouldYield());
    }

    // Under a lock, so two threads' stores cannot land in the wrong order and leave a stale count behind.
    private void Publish()
    {
        lock (_publishing)
        {
            if (!_withdrawn)
            {
                _board.Publish(_index, _processId, Volatile.Read(ref _open));
            }
        }
    }
}

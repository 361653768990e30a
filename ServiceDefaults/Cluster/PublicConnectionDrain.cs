using System;
using System.Threading;
using System.Threading.Tasks;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using Microsoft.AspNetCore.Connections;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// Counts the worker's open public connections so a stopping worker can let them end on their own.
/// Kestrel's graceful stop closes every connection that is between requests, and a connection accepted
/// a moment before the listener closed is between requests until its first request has been read:
/// closing it then resets the client. While draining, every public response carries
/// <c>Connection: close</c>, so each open connection ends cleanly after its next request, and the
/// worker waits for that (at most its listener mode's connection grace) before Kestrel's stop begins.
/// </summary>
/// <remarks>
/// Where the worker accepts from a shared queue (reuseport, shared), the count starts inside the accept
/// (<see cref="AcceptAsync"/>): an accept in flight when the listener closes can still return a connection,
/// and Kestrel hands it to its connection pipeline only later, on the thread pool. Counted from there, it
/// could be missed by a drain that had already seen no connection open.
/// </remarks>
internal sealed class PublicConnectionDrain
{
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;
    private int _accepting;
    private int _draining;

    /// <summary>Whether the worker is draining: public responses then ask the client to close the connection.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    /// <summary>The public connections open now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>The accepts in flight now.</summary>
    public int AcceptsInFlight => Volatile.Read(ref _accepting);

    /// <summary>Connection middleware for a public listener the worker alone accepts from: counts the connection while it is open.</summary>
    public ConnectionDelegate Track(ConnectionDelegate next) => async connection =>
    {
        Interlocked.Increment(ref _open);
        try
        {
            await next(connection);
        }
        finally
        {
            OnClosed();
        }
    };

    /// <summary>
    /// Accepts the next connection from <paramref name="listener"/>, counting the accept while it is in flight and
    /// the connection it returns until Kestrel disposes it.
    /// </summary>
    public async ValueTask<ConnectionContext?> AcceptAsync(IConnectionListener listener, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _accepting);
        ConnectionContext? connection = null;
        try
        {
            connection = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            if (connection is not null)
            {
                // Counted before the accept stops counting, so a drain never sees both at zero in between.
                Interlocked.Increment(ref _open);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _accepting);
            CompleteIfIdle();
        }

        return connection is null ? null : new CountedConnection(connection, OnClosed);
    }

    /// <summary>
    /// Starts draining and completes when no public connection is open and no accept is in flight, or when
    /// <paramref name="grace"/> has passed, whichever comes first. Call it after the public listener is closed.
    /// </summary>
    public async Task DrainAsync(TimeSpan grace, TimeProvider timeProvider)
    {
        Interlocked.Exchange(ref _draining, 1);
        CompleteIfIdle();

        try
        {
            await _allClosed.Task.WaitAsync(grace, timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Connections still open after the grace are in a request or idle; Kestrel's stop handles both.
        }
    }

    private void OnClosed()
    {
        Interlocked.Decrement(ref _open);
        CompleteIfIdle();
    }

    private void CompleteIfIdle()
    {
        if (IsDraining && Volatile.Read(ref _accepting) == 0 && Volatile.Read(ref _open) == 0)
        {
            _allClosed.TrySetResult();
        }
    }
}

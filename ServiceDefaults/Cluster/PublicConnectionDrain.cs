using System;
using System.Threading;
using System.Threading.Tasks;
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
internal sealed class PublicConnectionDrain
{
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;
    private int _draining;

    /// <summary>Whether the worker is draining: public responses then ask the client to close the connection.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    /// <summary>The public connections open now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Connection middleware for the public listener: counts the connection while it is open.</summary>
    public ConnectionDelegate Track(ConnectionDelegate next) => async connection =>
    {
        Interlocked.Increment(ref _open);
        try
        {
            await next(connection);
        }
        finally
        {
            if (Interlocked.Decrement(ref _open) == 0 && IsDraining)
            {
                _allClosed.TrySetResult();
            }
        }
    };

    /// <summary>
    /// Starts draining and completes when every public connection has closed or <paramref name="grace"/>
    /// has passed, whichever comes first. Call it after the public listener is closed.
    /// </summary>
    public async Task DrainAsync(TimeSpan grace, TimeProvider timeProvider)
    {
        Interlocked.Exchange(ref _draining, 1);
        if (Interlocked.CompareExchange(ref _open, 0, 0) == 0)
        {
            _allClosed.TrySetResult();
        }

        try
        {
            await _allClosed.Task.WaitAsync(grace, timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Connections still open after the grace are in a request or idle; Kestrel's stop handles both.
        }
    }
}

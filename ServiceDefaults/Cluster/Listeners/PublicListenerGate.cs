using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>
/// Keeps the worker's public listener closed until the worker is ready. Where workers share the public port
/// (reuseport, shared), a listening worker gets connections whether or not it can serve them: a socket joins
/// the SO_REUSEPORT group at <c>listen()</c>, and an inherited socket is accepted from by whoever accepts. So
/// the public endpoint is bound only when the primary's readiness probe first passes, just before it is
/// answered: once the primary counts the worker as ready, it is listening, and not a moment before.
/// </summary>
public sealed class PublicListenerGate
{
    private readonly List<ReadinessGatedListener> _listeners = [];
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the public listener is open (always, in a mode that does not gate it, once the first probe passed).</summary>
    public bool IsOpen => _opened.Task.IsCompleted;

    internal Task Opened => _opened.Task;

    /// <summary>Binds and listens on every gated public endpoint, then lets their accept loops run.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        ReadinessGatedListener[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            await listener.ListenAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _opened.TrySetResult();
    }

    internal void Add(ReadinessGatedListener listener)
    {
        lock (_listeners)
        {
            _listeners.Add(listener);
        }
    }
}

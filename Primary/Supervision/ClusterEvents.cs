using System.Threading.Channels;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>
/// The lifecycle events of every worker, observable from code: tests, the control endpoint and the
/// AppHost follow the cluster through it.
/// </summary>
public sealed class ClusterEvents
{
    private readonly Lock _gate = new();
    private readonly List<Channel<WorkerLifecycleEvent>> _subscribers = [];

    /// <summary>Raised synchronously for every event, on the thread that saw it.</summary>
    public event Action<WorkerLifecycleEvent>? Raised;

    /// <summary>Streams events from now on until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<WorkerLifecycleEvent> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<WorkerLifecycleEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }

    internal void Publish(WorkerLifecycleEvent item)
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(item);
            }
        }

        Raised?.Invoke(item);
    }
}

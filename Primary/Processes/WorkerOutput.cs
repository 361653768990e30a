using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Processes;

/// <summary>
/// Where the workers' output goes: through the primary's standard output, each line prefixed as
/// <see cref="WorkerOutputPrefix"/> says (unless <see cref="ClusterOptions.EchoWorkerOutput"/> is off), and to the
/// control socket's <see cref="ControlRoutes.Output"/> stream, which keeps the last <see cref="RecentLines"/> lines
/// for a client that connects late or comes back.
/// </summary>
public sealed class WorkerOutput(IOptions<ClusterOptions> options)
{
    /// <summary>Lines kept for clients that connect later. Defaults to 2000.</summary>
    public const int RecentLines = 2000;

    private readonly bool _echo = options.Value.EchoWorkerOutput;
    private readonly Lock _gate = new();
    private readonly Queue<WorkerOutputLine> _recent = new();
    private readonly List<Channel<WorkerOutputLine>> _subscribers = [];
    private long _sequence;

    /// <summary>Passes on one line that worker <paramref name="workerId"/>'s process <paramref name="processId"/> wrote.</summary>
    public void Write(int workerId, int processId, string prefix, string text, bool isError)
    {
        if (_echo)
        {
            Console.Out.WriteLine(prefix + text);
        }

        lock (_gate)
        {
            var line = new WorkerOutputLine(++_sequence, workerId, processId, text, isError);
            if (_recent.Count == RecentLines)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(line);
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(line);
            }
        }
    }

    /// <summary>
    /// The lines after <paramref name="after"/> still kept, then every new line until <paramref name="cancellationToken"/> fires.
    /// A client that names a line this primary has not written (it followed an earlier primary) gets every line kept.
    /// </summary>
    public async IAsyncEnumerable<WorkerOutputLine> SubscribeAsync(long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<WorkerOutputLine>(new UnboundedChannelOptions { SingleReader = true });
        WorkerOutputLine[] backlog;
        lock (_gate)
        {
            var from = after > _sequence ? 0 : after;
            backlog = [.. _recent.Where(line => line.Sequence > from)];
            _subscribers.Add(channel);
        }

        try
        {
            foreach (var line in backlog)
            {
                yield return line;
            }

            await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return line;
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
}

using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.Hosting;

/// <summary>
/// Gives each worker row its own console log: the primary passes every worker's output through its own,
/// each line prefixed as <see cref="WorkerOutputPrefix"/> says; this copies the lines of worker N to row N.
/// </summary>
internal sealed class ClusterWorkerLogs(ClusterResource primary, ResourceNotificationService notifications, ResourceLoggerService logs)
{
    private readonly Dictionary<int, ILogger> _rowLoggers = [];

    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        // The primary's log stream is keyed by its resource id (with DCP's suffix), known once it was published.
        var primaryEvent = await notifications.WaitForResourceAsync(primary.Name, e => e.Snapshot.State?.Text == KnownResourceStates.Running, cancellationToken).ConfigureAwait(false);
        await foreach (var batch in logs.WatchAsync(primaryEvent.ResourceId).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var line in batch)
            {
                if (WorkerOutputPrefix.TryParse(line.Content, out var workerId, out var text))
                {
                    RowLogger(workerId).Log(line.IsErrorMessage ? LogLevel.Error : LogLevel.Information, default, text, null, static (state, _) => state);
                }
            }
        }
    }

    // FollowAsync is one loop: no lock needed.
    private ILogger RowLogger(int workerId)
    {
        if (!_rowLoggers.TryGetValue(workerId, out var logger))
        {
            _rowLoggers[workerId] = logger = logs.GetLogger(ClusterWorkerResource.NameFor(primary.Name, workerId));
        }

        return logger;
    }
}

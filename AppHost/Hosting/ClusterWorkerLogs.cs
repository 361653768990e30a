using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.AppHost.Hosting;

/// <summary>
/// Gives each worker row its own console log: the primary passes every worker's output through its own,
/// each line prefixed <c>[worker N pid P]</c>; this copies the lines of worker N to row N.
/// </summary>
internal sealed partial class ClusterWorkerLogs(ProjectResource primary, ResourceNotificationService notifications, ResourceLoggerService logs)
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
                if (WorkerLine().Match(line.Content) is { Success: true } match)
                {
                    var text = match.Groups["text"].Value;
                    RowLogger(int.Parse(match.Groups["id"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture)).Log(line.IsErrorMessage ? LogLevel.Error : LogLevel.Information, default, text, null, static (state, _) => state);
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

    [GeneratedRegex(@"\[worker (?<id>\d+) pid \d+\] (?<text>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkerLine();
}

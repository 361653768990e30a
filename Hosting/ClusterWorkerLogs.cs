using System.Net.Sockets;
using System.Text.Json;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.Hosting;

/// <summary>
/// Gives each worker row its own console log: reads the workers' output from the primary's control socket
/// (<see cref="ControlRoutes.Output"/>) and writes the lines of worker N to row N. The AppHost tells the primary not
/// to echo them on its own output too, so each line shows once in the dashboard, "(All)" included.
/// </summary>
internal sealed class ClusterWorkerLogs(ClusterResource primary, ResourceLoggerService logs, TimeProvider time)
{
    private readonly ClusterAnnotation _cluster = primary.Settings;
    private readonly Dictionary<int, ILogger> _rowLoggers = [];

    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        // The last line read, and from which primary: a new primary numbers its lines from 1 again.
        var after = 0L;
        var primaryProcessId = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (_cluster.LatestStatus is { } status)
                {
                    if (status.ProcessId != primaryProcessId)
                    {
                        (primaryProcessId, after) = (status.ProcessId, 0);
                    }

                    await foreach (var line in _cluster.Client.WatchOutputAsync(after, cancellationToken).ConfigureAwait(false))
                    {
                        after = line.Sequence;
                        RowLogger(line.WorkerId).Log(line.IsError ? LogLevel.Error : LogLevel.Information, default, line.Text, null, static (state, _) => state);
                    }
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or SocketException or JsonException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
            }

            await Task.Delay(ClusterMonitor.RetryDelay, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

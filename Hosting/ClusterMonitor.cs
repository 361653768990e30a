using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.Hosting;

/// <summary>
/// Follows one primary through its control socket: reads its worker table on every lifecycle event
/// (and every <see cref="PollInterval"/> besides) and mirrors it into the worker rows.
/// </summary>
internal sealed partial class ClusterMonitor(ClusterResource primary, ResourceNotificationService notifications, ResourceLoggerService logs, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Time between two reads of the worker table when no event comes (the events already trigger a read):
    /// it refreshes the probe figures, requests served and working set.
    /// </summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Time between two attempts to reach a primary that does not answer.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Failed reads in a row after which the rows show that the primary is not reachable.</summary>
    public const int FailuresBeforeUnknown = 4;

    private readonly ClusterAnnotation _cluster = primary.Settings;
    private readonly ClusterWorkerRows _rows = new(primary, notifications, time);
    private readonly ClusterPrimaryRow _primaryRow = new(primary, notifications);
    // Set when the primary ends its event stream: it does so only when it begins a planned stop.
    private volatile bool _stopping;
    private readonly Channel<bool> _refresh = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var events = FollowEventsAsync(cancellationToken);
        var output = new ClusterWorkerLogs(primary, logs, time).FollowAsync(cancellationToken);
        var primaryRow = _primaryRow.FollowAsync(cancellationToken);
        try
        {
            await FollowTableAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await events.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await output.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await primaryRow.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task FollowTableAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var connected = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var status = await _cluster.Client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
                if (!connected)
                {
                    _stopping = false;
                    Log.Connected(logger, primary.Name, status.ProcessId, _cluster.ControlSocketPath, status.Workers.Count);
                    connected = true;
                }

                failures = 0;
                await _rows.ApplyAsync(status).ConfigureAwait(false);
                await _primaryRow.CorrectAsync().ConfigureAwait(false);

                // A stopping primary closes its control socket when it is done: look often, so the rows finish with it.
                await WaitForRefreshAsync(_stopping ? RetryDelay : PollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsUnreachable(exception, cancellationToken))
            {
                // Before the primary opens its socket this is the normal start; after, it lost its primary
                // (or, when it said it is stopping, the primary is done).
                if (connected && _stopping)
                {
                    Log.Stopped(logger, primary.Name);
                    await _rows.MarkStoppedAsync("primary stopped").ConfigureAwait(false);
                    connected = false;
                    _stopping = false;
                }
                else if (connected && ++failures == FailuresBeforeUnknown)
                {
                    Log.Lost(logger, primary.Name, _cluster.ControlSocketPath, exception.Message);
                    await _rows.MarkUnknownAsync("primary not reachable: " + exception.Message).ConfigureAwait(false);
                    connected = false;
                }

                await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task FollowEventsAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var item in _cluster.Client.WatchEventsAsync(cancellationToken).ConfigureAwait(false))
                {
                    Log.WorkerEvent(logger, primary.Name, item.WorkerId, item.Kind, item.ProcessId, item.Generation, item.Detail);
                    await _rows.ApplyAsync(item).ConfigureAwait(false);
                    _refresh.Writer.TryWrite(true);
                }

                // The primary ends the stream only when it begins to stop (a crash breaks it instead).
                if (!cancellationToken.IsCancellationRequested)
                {
                    Log.Stopping(logger, primary.Name);
                    _stopping = true;
                    _refresh.Writer.TryWrite(true);
                }
            }
            catch (Exception exception) when (IsUnreachable(exception, cancellationToken))
            {
            }

            await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task WaitForRefreshAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _refresh.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static bool IsUnreachable(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException or IOException or SocketException or JsonException or InvalidDataException => true,
        _ => false,
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Following cluster {Cluster}: primary pid {ProcessId} on {ControlSocket}, {Workers} workers")]
        public static partial void Connected(ILogger logger, string cluster, int processId, string controlSocket, int workers);

        [LoggerMessage(2, LogLevel.Warning, "Lost cluster {Cluster}: its control socket {ControlSocket} does not answer ({Reason})")]
        public static partial void Lost(ILogger logger, string cluster, string controlSocket, string reason);

        [LoggerMessage(4, LogLevel.Information, "Cluster {Cluster} is stopping: draining its workers")]
        public static partial void Stopping(ILogger logger, string cluster);

        [LoggerMessage(5, LogLevel.Information, "Cluster {Cluster} stopped")]
        public static partial void Stopped(ILogger logger, string cluster);

        [LoggerMessage(3, LogLevel.Debug, "Cluster {Cluster} worker {WorkerId}: {Kind} (pid {ProcessId}, generation {Generation}) {Detail}")]
        public static partial void WorkerEvent(ILogger logger, string cluster, int workerId, WorkerEventKind kind, int processId, int generation, string? detail);
    }
}

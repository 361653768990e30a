using System;
using System.IO;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners.Balancing;

/// <summary>
/// The worker's shared-mode load-aware accepting, when the primary asks for it by handing the worker a load board:
/// the <see cref="AcceptBalancer"/> in front of the socket transport, beaten by the liveness heartbeat.
/// </summary>
internal sealed partial class AcceptBalancing : IDisposable
{
    /// <summary>
    /// Opens the board the primary named, if any. A board that cannot be opened is logged and left out: balancing
    /// is an optimisation, and a worker that cannot balance still serves.
    /// </summary>
    public AcceptBalancing(ClusterWorkerContext context, TimeProvider time, ILogger<AcceptBalancing> logger)
    {
        if (context.AcceptLoadBoardPath is not { } path)
        {
            return;
        }

        try
        {
            Balancer = new AcceptBalancer(AcceptLoadBoard.Open(path), AcceptLoadBoard.IndexOf(context.WorkerId, context.Generation), context.ProcessId, time);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Log.BoardUnavailable(logger, path, exception.Message);
        }
    }

    /// <summary>The balancer; <see langword="null"/> when the worker accepts without looking at the others.</summary>
    public AcceptBalancer? Balancer { get; }

    /// <summary>The socket transport, accepting through the <see cref="Balancer"/> when there is one.</summary>
    public IConnectionListenerFactory Wrap(IConnectionListenerFactory sockets) =>
        Balancer is { } balancer ? new BalancedAcceptTransportFactory(sockets, balancer) : sockets;

    public void Dispose() => Balancer?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The accept load board '{Path}' cannot be opened ({Reason}): this worker accepts without looking at the others' load", EventName = "AcceptLoadBoardUnavailable")]
        public static partial void BoardUnavailable(ILogger logger, string path, string reason);
    }
}

using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// Creates the worker's public listening sockets the way its listener mode says, and keeps them, so a stopping worker can close them before Kestrel's own
/// shutdown begins.
/// </summary>
internal sealed class ClusterListenSockets(ClusterWorkerContext context, IWorkerListenerMode mode)
{
    private readonly List<Socket> _public = [];

    /// <summary>The <see cref="SocketTransportOptions.CreateBoundListenSocket"/> of a worker under a primary.</summary>
    public Socket Create(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint ipEndPoint)
        {
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }

        var socket = mode.CreateListenSocket(ipEndPoint, context);
        lock (_public)
        {
            _public.Add(socket);
        }

        return socket;
    }

    /// <summary>
    /// Stops taking new connections. With listener migration on, the kernel hands the connections still
    /// queued here to the other workers of the reuseport group instead of resetting them; an inherited
    /// (shared) socket stays open in the primary and the other workers, with its queue.
    /// </summary>
    public void CloseAll()
    {
        lock (_public)
        {
            foreach (var socket in _public)
            {
                socket.Dispose();
            }

            _public.Clear();
        }
    }
}

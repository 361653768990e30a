using System;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>
/// The worker listens where only the primary's proxy reaches it: a Unix domain socket in the primary's private
/// runtime folder (<see cref="ClusterEnvironment.ProxySocket"/>), or a loopback port where the primary asks for none.
/// </summary>
internal sealed class ProxyWorkerMode : IWorkerListenerMode
{
    public string Name => ListenerModeNames.Proxy;

    // Nothing to count: the primary takes the worker out of the proxy's destinations before stopping it.
    // The primary forwards only to workers that passed their readiness probe.
    public bool ListensOnceReady => false;

    public void ListenPublic(KestrelServerOptions kestrel, ClusterWorkerContext context, Action<ListenOptions> track)
    {
        if (context.ProxySocketPath is { } path)
        {
            kestrel.ListenUnixSocket(path, ForTheProxy);
            return;
        }

        kestrel.Listen(IPAddress.Loopback, 0, ForTheProxy);
    }

    public Socket CreateListenSocket(IPEndPoint endpoint, ClusterWorkerContext context) => SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);

    // Only the proxy's idle pooled connections are left when the stop comes, and no request comes on them.
    public TimeSpan ConnectionGrace(DrainBudget budget) => TimeSpan.Zero;

    // HTTP/2 without TLS (h2c), which the primary speaks with prior knowledge: its requests share a few multiplexed
    // connections, so one read or write carries several of them, where HTTP/1.1 needs one connection, and one wake-up
    // of each side, per request in flight (bench/README.md, "The proxy hop").
    private static void ForTheProxy(ListenOptions listen) => listen.Protocols = HttpProtocols.Http2;
}

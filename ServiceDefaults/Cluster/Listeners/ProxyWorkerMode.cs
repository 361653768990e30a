using System;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>The worker listens on a private loopback port that the primary's proxy forwards to.</summary>
internal sealed class ProxyWorkerMode : IWorkerListenerMode
{
    public string Name => ListenerModeNames.Proxy;

    // Nothing to count: the primary takes the worker out of the proxy's destinations before stopping it.
    // The primary forwards only to workers that passed their readiness probe.
    public bool ListensOnceReady => false;

    public void ListenPublic(KestrelServerOptions kestrel, ClusterWorkerContext context, Action<ListenOptions> track) =>
        kestrel.Listen(IPAddress.Loopback, 0);

    public Socket CreateListenSocket(IPEndPoint endpoint, ClusterWorkerContext context) => SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);

    // Only the proxy's idle pooled connections are left when the stop comes, and no request comes on them.
    public TimeSpan ConnectionGrace(DrainBudget budget) => TimeSpan.Zero;
}

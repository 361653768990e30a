using System;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>Every worker binds the public port itself with SO_REUSEPORT; the kernel spreads connections.</summary>
internal sealed class ReusePortWorkerMode : IWorkerListenerMode
{
    public string Name => ListenerModeNames.ReusePort;

    public bool ListensOnceReady => true;

    public void ListenPublic(KestrelServerOptions kestrel, ClusterWorkerContext context, Action<ListenOptions> track) =>
        PublicAddress.Listen(kestrel, context.Address, context.Port, track);

    public Socket CreateListenSocket(IPEndPoint endpoint, ClusterWorkerContext context) => ReusePortListenSocket.Create(endpoint);

    public TimeSpan ConnectionGrace(DrainBudget budget) => budget.ConnectionGrace;
}

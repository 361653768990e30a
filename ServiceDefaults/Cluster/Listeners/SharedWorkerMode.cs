using System;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>The worker accepts from the listening socket it inherited from the primary: one queue for all.</summary>
internal sealed class SharedWorkerMode : IWorkerListenerMode
{
    public string Name => ListenerModeNames.Shared;

    public bool ListensOnceReady => true;

    public void ListenPublic(KestrelServerOptions kestrel, ClusterWorkerContext context, Action<ListenOptions> track) =>
        PublicAddress.Listen(kestrel, context.Address, context.Port, track);

    public Socket CreateListenSocket(IPEndPoint endpoint, ClusterWorkerContext context) => InheritedListenSocket.Adopt(context.ListenFileDescriptor);

    public TimeSpan ConnectionGrace(DrainBudget budget) => budget.ConnectionGrace;
}

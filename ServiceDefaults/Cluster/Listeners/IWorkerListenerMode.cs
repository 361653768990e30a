using System;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>
/// The worker's side of one listener mode: how the public endpoint is declared to Kestrel, how its
/// listening socket is made, and how long a stopping worker lets its public connections end on their own.
/// The primary's side of the same mode lives in the primary's <c>Listeners/</c> folder, under the same name.
/// </summary>
public interface IWorkerListenerMode
{
    /// <summary>The mode's name (<see cref="ListenerModeNames"/>), as the primary passes it in <c>CLUSTER_MODE</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Whether the public endpoint is bound only once the worker is ready (<see cref="PublicListenerGate"/>):
    /// where workers share the public port, a listening worker gets connections whether it can serve them or not.
    /// </summary>
    bool ListensOnceReady { get; }

    /// <summary>Declares the public endpoint; <paramref name="track"/> counts its connections for the drain.</summary>
    void ListenPublic(KestrelServerOptions kestrel, ClusterWorkerContext context, Action<ListenOptions> track);

    /// <summary>Creates the bound listening socket of the public endpoint (Kestrel calls <c>listen</c> on it).</summary>
    Socket CreateListenSocket(IPEndPoint endpoint, ClusterWorkerContext context);

    /// <summary>How long a stopping worker waits for its open public connections to close before Kestrel's stop.</summary>
    TimeSpan ConnectionGrace(DrainBudget budget);
}

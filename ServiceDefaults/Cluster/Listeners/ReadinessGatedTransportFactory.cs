using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Connections;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>
/// Kestrel's transport for the worker's public (IP) endpoints in the modes that gate them: the socket transport
/// behind a <see cref="PublicListenerGate"/>, counted by the <see cref="PublicConnectionDrain"/> from the accept on.
/// Other endpoints (the management socket) go to Kestrel's own.
/// </summary>
internal sealed class ReadinessGatedTransportFactory(IConnectionListenerFactory sockets, PublicListenerGate gate, PublicConnectionDrain connections) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = new ReadinessGatedListener(sockets, endpoint, gate, connections);
        gate.Add(listener);
        return ValueTask.FromResult<IConnectionListener>(listener);
    }
}

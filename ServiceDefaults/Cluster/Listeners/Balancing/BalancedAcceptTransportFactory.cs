using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Connections;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners.Balancing;

/// <summary>Binds with the socket transport and accepts through the worker's <see cref="AcceptBalancer"/>.</summary>
internal sealed class BalancedAcceptTransportFactory(IConnectionListenerFactory sockets, AcceptBalancer balancer) : IConnectionListenerFactory
{
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new BalancedAcceptListener(await sockets.BindAsync(endpoint, cancellationToken).ConfigureAwait(false), balancer);
}

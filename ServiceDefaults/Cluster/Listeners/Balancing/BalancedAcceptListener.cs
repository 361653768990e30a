using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Connections;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners.Balancing;

/// <summary>The inherited shared listener, accepting through an <see cref="AcceptBalancer"/>.</summary>
internal sealed class BalancedAcceptListener : IConnectionListener
{
    private readonly IConnectionListener _inner;
    private readonly AcceptBalancer _balancer;

    /// <summary>Wraps the bound <paramref name="inner"/> listener; from now on the others see this worker on the board.</summary>
    public BalancedAcceptListener(IConnectionListener inner, AcceptBalancer balancer)
    {
        _inner = inner;
        _balancer = balancer;
        _balancer.Join();
    }

    public EndPoint EndPoint => _inner.EndPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        await _balancer.WaitForTurnAsync(cancellationToken).ConfigureAwait(false);
        if (await _inner.AcceptAsync(cancellationToken).ConfigureAwait(false) is not { } connection)
        {
            return null;
        }

        _balancer.OnAccepted();
        return new CountedConnection(connection, _balancer.OnClosed);
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _balancer.Withdraw();
        return _inner.UnbindAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _balancer.Withdraw();
        return _inner.DisposeAsync();
    }
}

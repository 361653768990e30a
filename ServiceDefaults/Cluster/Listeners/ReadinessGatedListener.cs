using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Connections;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>
/// A public endpoint that Kestrel sees bound at start, but that binds and accepts only once its gate opens. Its accepts
/// and the connections they return are counted by the worker's <see cref="PublicConnectionDrain"/>.
/// </summary>
internal sealed class ReadinessGatedListener(IConnectionListenerFactory sockets, EndPoint endpoint, PublicListenerGate gate, PublicConnectionDrain connections) : IConnectionListener
{
    private readonly CancellationTokenSource _unbound = new();
    private readonly Lock _lock = new();
    private Task<IConnectionListener>? _listening;

    public EndPoint EndPoint => _listening is { IsCompletedSuccessfully: true } listening ? listening.Result.EndPoint : endpoint;

    /// <summary>Binds the endpoint (once): the socket joins the reuseport group, or adopts the inherited one.</summary>
    public Task<IConnectionListener> ListenAsync()
    {
        lock (_lock)
        {
            return _listening ??= sockets.BindAsync(endpoint, CancellationToken.None).AsTask();
        }
    }

    public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) =>
        _listening is { IsCompletedSuccessfully: true } listening && gate.IsOpen
            ? connections.AcceptAsync(listening.Result, cancellationToken)
            : AcceptFirstAsync(cancellationToken);

    // Only until the gate opens: afterwards every accept goes straight to the bound listener.
    private async ValueTask<ConnectionContext?> AcceptFirstAsync(CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
        try
        {
            await gate.Opened.WaitAsync(waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_unbound.IsCancellationRequested)
        {
            // Stopped before it was ever ready: no connection was ever taken.
            return null;
        }

        var listener = await ListenAsync().ConfigureAwait(false);
        return await connections.AcceptAsync(listener, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        await _unbound.CancelAsync().ConfigureAwait(false);
        if (_listening is { IsCompletedSuccessfully: true } listening)
        {
            await listening.Result.UnbindAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _unbound.CancelAsync().ConfigureAwait(false);
        if (_listening is { IsCompletedSuccessfully: true } listening)
        {
            await listening.Result.DisposeAsync().ConfigureAwait(false);
        }

        _unbound.Dispose();
    }
}

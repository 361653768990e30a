using System.Net.Sockets;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.ServiceDefaults.Cluster;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Listeners;

/// <summary>
/// In shared mode, the public listening socket the workers inherit. The primary binds it before the
/// first worker starts and holds it until it exits, so the accept queue outlives every worker: a
/// stopping worker leaves its share of queued connections to the others, with no kernel setting needed.
/// </summary>
internal sealed class SharedListener(IOptions<ClusterOptions> options) : IHostedService, IDisposable
{
    private Socket? _socket;

    /// <summary>The descriptor number workers inherit the socket under; <see langword="null"/> in the other modes.</summary>
    public int? FileDescriptor => _socket is { } socket ? (int)socket.SafeHandle.DangerousGetHandle() : null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Resolve() == ClusterListenerMode.Shared)
        {
            _socket = InheritedListenSocket.Listen(options.Value.Port);
        }

        return Task.CompletedTask;
    }

    // Kept open through the workers' drain: the supervisor stops them before this stops.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _socket?.Dispose();
}

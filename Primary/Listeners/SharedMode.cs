using System.Globalization;
using System.Net.Sockets;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Listeners;

/// <summary>
/// The primary binds the public port once, before the first worker starts, and holds the socket until it
/// exits; the workers inherit it and accept from its one queue. The queue outlives every worker, so a
/// stopping worker leaves its share of queued connections to the others, with no kernel setting needed.
/// </summary>
internal sealed class SharedMode(IOptions<ClusterOptions> options) : IListenerMode, IDisposable
{
    private Socket? _socket;

    public string Name => ListenerModeNames.Shared;

    public string Description => "the primary binds the port once and the workers accept from the socket they inherit (one queue)";

    public string? UnsupportedReason => InheritedListenSocket.IsSupported
        ? null
        : "Cluster:Mode 'shared' needs Linux or macOS (workers inherit the listening socket); accepted here: proxy.";

    public void Start() => _socket ??= InheritedListenSocket.Listen(PublicAddress.EndPoint(options.Value.Address, options.Value.Port));

    // The socket is open without close-on-exec, so the child inherits it under the same number.
    public void AddWorkerEnvironment(IDictionary<string, string> environment, int workerId, int generation) =>
        environment[ClusterEnvironment.ListenFileDescriptor] = FileDescriptor.ToString(CultureInfo.InvariantCulture);

    // Kept open through the workers' drain: the host disposes it after the supervisor stopped them.
    public void Dispose() => _socket?.Dispose();

    private int FileDescriptor => _socket is { } socket
        ? (int)socket.SafeHandle.DangerousGetHandle()
        : throw new InvalidOperationException("The shared listening socket is bound when the supervisor starts, before any worker.");
}

using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace ClusterTemplate.Primary.Proxy;

/// <summary>YARP's own client, connecting to the workers' Unix domain sockets (<see cref="WorkerSockets"/>) instead of TCP.</summary>
internal sealed class WorkerSocketHttpClientFactory(WorkerSockets sockets, ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectCallback = ConnectAsync;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var path = sockets.PathOf(context.DnsEndPoint.Host)
            ?? throw new HttpRequestException($"'{context.DnsEndPoint.Host}' is not a worker of this cluster.");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

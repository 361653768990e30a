using System.Net.Sockets;

namespace ClusterTemplate.Shared.Control;

/// <summary>HTTP/1.1 over a Unix domain socket: how the primary talks to workers and clients talk to the primary.</summary>
public static class UnixDomainSocketHttp
{
    /// <summary>Creates a client whose every connection goes to the socket at <paramref name="socketPath"/>.</summary>
    public static HttpClient CreateClient(string socketPath, string authority = "localhost")
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            UseProxy = false,
        };

        return new HttpClient(handler) { BaseAddress = new Uri("http://" + authority), Timeout = Timeout.InfiniteTimeSpan };
    }
}

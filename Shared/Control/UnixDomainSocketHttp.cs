using System.Net.Sockets;
using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Shared.Control;

/// <summary>HTTP/1.1 over a Unix domain socket: how the primary talks to workers and clients talk to the primary.</summary>
public static class UnixDomainSocketHttp
{
    /// <summary>
    /// Creates a client whose every connection goes to the socket at <paramref name="socketPath"/>. Where the
    /// platform reports peer credentials (Linux), a connection is used only when the process serving the socket
    /// runs as this user or root and passes <paramref name="checkServer"/> (which returns why not, or null);
    /// otherwise the request fails with an <see cref="UntrustedPeerException"/> inside its <see cref="HttpRequestException"/>.
    /// </summary>
    public static HttpClient CreateClient(string socketPath, string authority = "localhost", Func<UnixPeerCredentials, string?>? checkServer = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    ThrowIfUntrusted(socket, socketPath, checkServer);
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

    private static void ThrowIfUntrusted(Socket socket, string socketPath, Func<UnixPeerCredentials, string?>? checkServer)
    {
        if (!UnixPeerCredentials.IsSupported)
        {
            return;
        }

        if (!UnixPeerCredentials.TryRead(socket, out var server))
        {
            throw new UntrustedPeerException(socketPath, "its credentials could not be read");
        }

        var reason = UnixUser.IsSelfOrRoot(server.UserId)
            ? checkServer?.Invoke(server)
            : $"it runs as uid {server.UserId}, neither this user (uid {UnixUser.EffectiveId}) nor root";
        if (reason is not null)
        {
            throw new UntrustedPeerException(socketPath, reason);
        }
    }
}

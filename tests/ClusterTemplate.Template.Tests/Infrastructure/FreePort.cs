using System.Net;
using System.Net.Sockets;

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>A TCP port nobody listens on right now, picked by the kernel.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace ClusterTemplate.AppHost.Tests.Infrastructure;

/// <summary>A TCP port that was free a moment ago, for a cluster's public port.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace ClusterTemplate.TestSupport;

/// <summary>
/// A TCP port nobody listens on right now, picked by the kernel: each test runs its cluster on its own port.
/// Compiled into every test project (it checks nothing, so sharing it makes no test depend on what it tests).
/// </summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

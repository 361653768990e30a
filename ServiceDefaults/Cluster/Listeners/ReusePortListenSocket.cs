using System;
using System.Net;
using System.Net.Sockets;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>
/// Creates Kestrel's listening sockets with SO_REUSEPORT, so that every worker of the cluster
/// can bind the same public port and the kernel spreads new connections across them.
/// </summary>
public static class ReusePortListenSocket
{
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    /// <summary>Whether this platform balances connections across SO_REUSEPORT listeners (Linux only).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Creates a TCP listening socket bound to <paramref name="ipEndPoint"/> with SO_REUSEPORT set before <c>bind</c>.</summary>
    public static Socket Create(IPEndPoint ipEndPoint)
    {
        var socket = new Socket(ipEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ipEndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            Enable(socket);
            socket.Bind(ipEndPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sets exactly SO_REUSEPORT (not SO_REUSEADDR) on a socket that is not bound yet.</summary>
    public static void Enable(Socket socket)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("SO_REUSEPORT load balancing needs Linux; use the proxy listener mode.");
        }

        socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
    }
}

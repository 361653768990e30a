using System.Net;
using System.Net.Sockets;

namespace ClusterTemplate.Primary.Processes;

/// <summary>Tells whether another program already holds a TCP port.</summary>
internal static class PortAvailability
{
    /// <summary>
    /// Binds the port on every address without SO_REUSEPORT: that fails whenever anything listens on
    /// it, including another reuseport group the workers would otherwise silently join.
    /// </summary>
    public static bool IsTaken(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            return false;
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return true;
        }
    }
}

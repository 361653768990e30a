using System.Net.Sockets;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Control;

/// <summary>
/// The primaries of this user that run in a default runtime folder (<see cref="ControlSocket.DefaultRuntimeDirectory(int)"/>),
/// found by their control sockets: where the command-line client looks when nothing runs on the port it was given.
/// </summary>
internal static class RunningPrimaries
{
    /// <summary>The port and control socket of each primary that answers, lowest port first; a socket a killed primary left behind does not count.</summary>
    public static IReadOnlyList<(int Port, string Socket)> Find() =>
        [.. ControlSocket.InDefaultRuntimeDirectories().Where(entry => Answers(entry.Path))];

    private static bool Answers(string socket)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

using System;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// The process at the other end of a connected Unix domain socket, as the kernel recorded it when that
/// process connected or started listening (SO_PEERCRED): it cannot be forged by what the peer sends.
/// </summary>
/// <param name="ProcessId">The peer's process id.</param>
/// <param name="UserId">The peer's effective user id.</param>
/// <param name="GroupId">The peer's effective group id.</param>
public readonly record struct UnixPeerCredentials(int ProcessId, uint UserId, uint GroupId)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Whether this platform reports peer credentials (Linux); elsewhere only the folder's permissions guard the sockets.</summary>
    [SupportedOSPlatformGuard("linux")]
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Reads the credentials of <paramref name="socket"/>'s peer; false when the platform or the socket cannot tell.</summary>
    public static bool TryRead(Socket socket, out UnixPeerCredentials credentials)
    {
        credentials = default;
        if (!IsSupported || socket.AddressFamily != AddressFamily.Unix)
        {
            return false;
        }

        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> ucred = stackalloc byte[12];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) != ucred.Length)
            {
                return false;
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            return false;
        }

        credentials = new UnixPeerCredentials(
            BitConverter.ToInt32(ucred),
            BitConverter.ToUInt32(ucred[4..]),
            BitConverter.ToUInt32(ucred[8..]));
        return true;
    }
}

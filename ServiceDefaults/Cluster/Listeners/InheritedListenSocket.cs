using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>
/// The listening socket of the shared listener mode: the primary binds the public port once and its
/// workers inherit the socket, so they accept from one queue. A stopping worker closes only its own
/// descriptor; the socket, and every connection queued on it, stays with the primary and the others.
/// </summary>
public static class InheritedListenSocket
{
    private const int GetDescriptorFlags = 1;
    private const int SetDescriptorFlags = 2;
    private const int CloseOnExec = 1;

    /// <summary>The backlog of the shared accept queue; Kestrel's default.</summary>
    public const int Backlog = 512;

    /// <summary>Whether child processes can inherit a listening socket here (Linux and macOS).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>
    /// Binds and listens on <paramref name="endpoint"/> (<see cref="PublicAddress.EndPoint"/>), and lets child processes
    /// inherit the socket. The caller keeps it open for as long as workers may start.
    /// </summary>
    public static Socket Listen(IPEndPoint endpoint)
    {
        EnsureSupported();
        var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        try
        {
            socket.Listen(Backlog);
            ClearCloseOnExec(socket.SafeHandle);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes over the listening socket a worker inherited as <paramref name="fileDescriptor"/>. The
    /// descriptor keeps close-on-exec off: that is how .NET tells a shared socket, and closing it while
    /// an accept is pending then only closes this process's descriptor. With the flag on, .NET
    /// disconnects the socket to wake the accept, and the listener would stop for every worker.
    /// </summary>
    public static Socket Adopt(int fileDescriptor)
    {
        EnsureSupported();
        return new Socket(new SafeSocketHandle(fileDescriptor, ownsHandle: true));
    }

    private static void ClearCloseOnExec(SafeHandle handle)
    {
        var descriptor = (int)handle.DangerousGetHandle();
        var flags = fcntl(descriptor, GetDescriptorFlags, 0);
        if (flags < 0 || fcntl(descriptor, SetDescriptorFlags, flags & ~CloseOnExec) < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
    }

    private static void EnsureSupported()
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("An inherited listening socket needs Linux or macOS; use the proxy listener mode.");
        }
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // A single blittable call; DllImport keeps AllowUnsafeBlocks off.
    private static extern int fcntl(int fd, int cmd, int arg);
#pragma warning restore SYSLIB1054
}

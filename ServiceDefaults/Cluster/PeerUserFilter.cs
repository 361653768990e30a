using System.Runtime.Versioning;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// Closes every connection to a Unix socket listener whose peer is neither this process's user nor root, so
/// the control and management sockets stay private even if their folder's permissions are ever loosened.
/// </summary>
public static partial class PeerUserFilter
{
    /// <summary>
    /// Accepts only connections from this process's own user and root (checked with SO_PEERCRED); others are
    /// closed before a byte is read, and logged. Where the platform cannot tell (not Linux) nothing changes.
    /// </summary>
    public static void AcceptOwnUserOnly(this ListenOptions listen)
    {
        if (UnixPeerCredentials.IsSupported)
        {
            AddPeerCheck(listen);
        }
    }

    [SupportedOSPlatform("linux")]
    private static void AddPeerCheck(ListenOptions listen)
    {
        var logger = listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PeerUserFilter).FullName!);
        var socketPath = listen.SocketPath ?? listen.ToString() ?? "";
        listen.Use(next => connection =>
        {
            if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket || !UnixPeerCredentials.TryRead(socket, out var peer))
            {
                Log.PeerUnknown(logger, socketPath);
                connection.Abort();
                return Task.CompletedTask;
            }

            if (!UnixUser.IsSelfOrRoot(peer.UserId))
            {
                Log.PeerRefused(logger, socketPath, peer.UserId, peer.ProcessId, UnixUser.EffectiveId);
                connection.Abort();
                return Task.CompletedTask;
            }

            return next(connection);
        });
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refused a connection on {SocketPath} from uid {PeerUserId} (pid {PeerProcessId}): only uid {UserId} and root may connect", EventName = "PeerRefused")]
        public static partial void PeerRefused(ILogger logger, string socketPath, uint peerUserId, int peerProcessId, uint userId);

        [LoggerMessage(2, LogLevel.Warning, "Refused a connection on {SocketPath}: the peer's credentials could not be read", EventName = "PeerUnknown")]
        public static partial void PeerUnknown(ILogger logger, string socketPath);
    }
}

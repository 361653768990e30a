using ClusterTemplate.Primary.Configuration;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Listeners;

/// <summary>
/// Checks, and where allowed turns on, the kernel's migration of queued connections between the
/// listeners of a SO_REUSEPORT group (<c>net.ipv4.tcp_migrate_req</c>, Linux 5.14+). Without it, a
/// worker that stops for a planned reason resets the connections still waiting in its accept queue.
/// The reuseport mode runs it at start.
/// </summary>
internal sealed partial class ListenerMigration(IOptions<ClusterOptions> options, ILogger<ListenerMigration> logger)
{
    internal const string SettingPath = "/proc/sys/net/ipv4/tcp_migrate_req";

    /// <summary>Where the sysctl lives; tests point it at a file of their own.</summary>
    internal string Path { get; init; } = SettingPath;

    /// <summary>Returns whether migration is on once this ran; logs what it found and did.</summary>
    internal bool Ensure()
    {
        string current;
        try
        {
            current = File.ReadAllText(Path).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.Unsupported(logger);
            return false;
        }

        if (current == "1")
        {
            Log.AlreadyOn(logger);
            return true;
        }

        if (options.Value.EnableListenerMigration)
        {
            try
            {
                File.WriteAllText(Path, "1");
                Log.TurnedOn(logger);
                return true;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }
        }

        Log.Off(logger);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Listener migration (net.ipv4.tcp_migrate_req) is on: connections queued on a stopping worker move to another", EventName = "ListenerMigrationOn")]
        public static partial void AlreadyOn(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "Turned on listener migration (net.ipv4.tcp_migrate_req=1, Cluster:EnableListenerMigration): connections queued on a stopping worker move to another", EventName = "ListenerMigrationTurnedOn")]
        public static partial void TurnedOn(ILogger logger);

        [LoggerMessage(3, LogLevel.Warning, "Listener migration is off: a worker that stops resets the connections queued on it. Turn it on as root: 'sysctl -w net.ipv4.tcp_migrate_req=1', and keep it with 'echo net.ipv4.tcp_migrate_req=1 > /etc/sysctl.d/90-clustertemplate.conf' (or run the primary as a systemd service with that sysctl.d file); or use --mode shared (one inherited socket, no kernel setting) or --mode proxy", EventName = "ListenerMigrationOff")]
        public static partial void Off(ILogger logger);

        [LoggerMessage(4, LogLevel.Warning, "This kernel has no listener migration (net.ipv4.tcp_migrate_req needs Linux 5.14+): a worker that stops resets the connections queued on it; use --mode shared or --mode proxy for zero-loss restarts", EventName = "ListenerMigrationUnsupported")]
        public static partial void Unsupported(ILogger logger);
    }
}

using System.Globalization;

namespace ClusterTemplate.Primary.Hosting.Systemd;

/// <summary>Reads systemd's watchdog request (<c>WatchdogSec=</c>) from the environment it starts the service with.</summary>
internal static class SystemdWatchdogInterval
{
    public const string UsecVariable = "WATCHDOG_USEC";
    public const string PidVariable = "WATCHDOG_PID";

    /// <summary>
    /// The watchdog interval, or null when none was asked for or it is meant for another process
    /// (<c>WATCHDOG_PID</c> set to another pid, as in a process the service started).
    /// </summary>
    public static TimeSpan? Read(string? usec, string? pid, int processId)
    {
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(pid) && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var owner) || owner != processId))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(microseconds);
    }

    /// <summary>The interval asked of this process, from its own environment.</summary>
    public static TimeSpan? FromEnvironment() =>
        Read(Environment.GetEnvironmentVariable(UsecVariable), Environment.GetEnvironmentVariable(PidVariable), Environment.ProcessId);
}
